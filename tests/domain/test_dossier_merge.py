"""A dossier changed offline and on the server: field-by-field differences and the merge."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.domain.dossier_merge import (
    CHECKLIST_PREFIX,
    MINE,
    THEIRS,
    field_differences,
    format_value,
    merge,
)
from achatsdesk.domain.formatting import NARROW_NBSP, NBSP
from achatsdesk.domain.review import make_decision
from achatsdesk.errors import ValidationError


def _base() -> Dossier:
    return Dossier("Nettoyage des collèges", cpv=["90911200-8"], estimated_amount_eur=Decimal(1_200_000),
                   duration_months=48, launch_date=date(2026, 12, 1), uid="u-1",
                   items={"social-condition": ItemState(ItemStatus.A_FAIRE, comment="à voir")})


def _three():
    base = _base()
    return base, copy.deepcopy(base), copy.deepcopy(base)


def test_only_fields_that_differ_between_mine_and_theirs_are_listed() -> None:
    base, mine, theirs = _three()
    mine.title = "Nettoyage des collèges 2027"
    mine.items["social-condition"] = ItemState(ItemStatus.A_FAIRE, comment="clause d'insertion prévue")
    theirs.title = "Nettoyage des collèges et des gymnases"
    theirs.estimated_amount_eur = Decimal(1_350_000)

    differences = {d.key: d for d in field_differences(base, mine, theirs, item_title=lambda i: i.upper())}

    assert set(differences) == {"title", "estimated_amount_eur", CHECKLIST_PREFIX + "social-condition"}
    title = differences["title"]
    assert (title.label, title.base, title.mine, title.theirs) == (
        "Intitulé", "Nettoyage des collèges", "Nettoyage des collèges 2027", "Nettoyage des collèges et des gymnases")
    assert title.both_changed and title.default_choice == MINE
    amount = differences["estimated_amount_eur"]
    assert not amount.both_changed and amount.theirs_changed and amount.default_choice == THEIRS
    comment = differences[CHECKLIST_PREFIX + "social-condition"]
    assert comment.label == "Check-list : SOCIAL-CONDITION"
    assert comment.mine_changed and not comment.theirs_changed and comment.default_choice == MINE


def test_the_same_change_on_both_sides_is_no_difference() -> None:
    base, mine, theirs = _three()
    mine.duration_months = theirs.duration_months = 36
    assert field_differences(base, mine, theirs) == []


def test_an_untouched_checklist_item_equals_no_answer() -> None:
    base, mine, theirs = _three()
    mine.items["env-condition"] = ItemState()  # the editor writes blank answers it shows
    assert field_differences(base, mine, theirs) == []


def test_merge_takes_each_side_by_default_and_the_chosen_side_when_both_changed() -> None:
    base, mine, theirs = _three()
    mine.title = "Titre hors connexion"
    mine.items["social-condition"] = ItemState(ItemStatus.FAIT, comment="vu avec le service")
    theirs.title = "Titre du collègue"
    theirs.estimated_amount_eur = Decimal(1_350_000)
    theirs.reviews = [make_decision("envoye", "chef", "")]

    kept_mine = merge(base, mine, theirs, {"title": MINE})
    assert kept_mine.title == "Titre hors connexion"
    assert kept_mine.estimated_amount_eur == Decimal(1_350_000)  # only the colleague changed it
    assert kept_mine.items["social-condition"].comment == "vu avec le service"  # only I changed it
    assert [r.reviewer for r in kept_mine.reviews] == ["chef"]  # the server's history is kept
    assert kept_mine.uid == "u-1"

    kept_theirs = merge(base, mine, theirs, {"title": THEIRS, "estimated_amount_eur": MINE})
    assert kept_theirs.title == "Titre du collègue"
    assert kept_theirs.estimated_amount_eur == Decimal(1_200_000)


def test_merge_of_lots_clauses_and_a_removed_answer() -> None:
    base, mine, theirs = _three()
    mine.lots = [Lot("Collèges du nord", amount_eur=Decimal(600_000)), Lot("Collèges du sud")]
    mine.clauses = [ClauseSelection("insertion-heures", "1", {"heures": 500}, lot=0)]
    theirs.items = {}  # the colleague cleared the answer

    merged = merge(base, mine, theirs, {CHECKLIST_PREFIX + "social-condition": THEIRS})
    assert [lot.title for lot in merged.lots] == ["Collèges du nord", "Collèges du sud"]
    assert merged.clauses[0].variables == {"heures": 500} and merged.clauses[0].lot == 0
    assert "social-condition" not in merged.items


def test_unknown_choices_are_refused_in_french() -> None:
    base, mine, theirs = _three()
    mine.title = "Autre"
    with pytest.raises(ValidationError, match="Choix « les deux » inconnu"):
        merge(base, mine, theirs, {"title": "les deux"})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="ne diffère pas"):
        merge(base, mine, theirs, {"reference": MINE})


def test_values_are_shown_in_french() -> None:
    assert format_value("estimated_amount_eur", 1350000) == f"1{NARROW_NBSP}350{NARROW_NBSP}000{NBSP}€{NBSP}HT"
    assert format_value("launch_date", "2026-12-01") == "01/12/2026"
    assert format_value("duration_months", 36) == "36 mois"
    assert format_value("nature", "travaux") == "Travaux"
    assert format_value("status", "a_relire") == "À relire"
    assert format_value("reference", "") == "—"
    assert format_value(CHECKLIST_PREFIX + "x", {"status": "fait", "justification": "", "exemption_case": None,
                                                "comment": "ok"}) == "Fait ; commentaire : « ok »"
    assert format_value("lots", [{"title": "Nord", "amount_eur": 0}]) == "Lot 1 : Nord (montant à renseigner)"
