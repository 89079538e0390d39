"""Amounts keep their cents through the domain: exact threshold comparison, JSON round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.dossier import Buyer, BuyerKind, Dossier, Lot, Nature
from achatsdesk.domain.rules import evaluate, load_rules, load_thresholds_from
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir

RULES_DIR = resources_dir() / "rules"
RULES = load_rules(RULES_DIR)
THRESHOLDS = load_thresholds_from(RULES_DIR)


def example(amount) -> dict:
    return {"title": "Essai (fictif)", "buyer": {"name": "Acheteur fictif", "kind": "collectivite"},
            "nature": "services", "cpv": ["90911200-8"], "estimated_amount_eur": amount,
            "launch_date": "2026-12-01", "place_insee": "95127"}


def test_a_cent_below_the_eu_threshold_is_not_formalised():
    dossier = Dossier.from_dict(example(215999.99))
    assert dossier.estimated_amount_eur == Decimal("215999.99")
    assessment = evaluate(dossier, RULES, THRESHOLDS)
    assert assessment.procedure.id == "mapa"
    assert "215\u202f999,99\u00a0€\u00a0HT" in assessment.procedure.explanation
    assert "216\u202f000\u00a0€\u00a0HT ≥" not in assessment.procedure.explanation
    social = assessment.by_id("social-execution-condition")
    assert social.status == "a_envisager" and "215\u202f999,99" in social.explanation


def test_exactly_at_the_eu_threshold_is_formalised():
    assessment = evaluate(Dossier.from_dict(example("216000.00")), RULES, THRESHOLDS)
    assert assessment.procedure.id == "formalisee"
    assert "216\u202f000\u00a0€\u00a0HT ≥" in assessment.procedure.explanation


def test_lot_amounts_with_cents_add_up_exactly():
    dossier = Dossier(title="Essai (fictif)", buyer=Buyer("Acheteur fictif", BuyerKind.COLLECTIVITE),
                      nature=Nature.SERVICES, launch_date=date(2026, 12, 1),
                      lots=[Lot("A", None, Decimal("100000.50")), Lot("B", None, Decimal("115999.49"))])
    assert dossier.amount_eur == Decimal("215999.99")
    assert evaluate(dossier, RULES, THRESHOLDS).procedure.id == "mapa"


def test_json_keeps_cents_and_whole_amounts_stay_integers():
    data = example(1200000.5)
    data["lots"] = [{"title": "A", "amount_eur": 1000}, {"title": "B", "amount_eur": "2500,25"}]
    out = Dossier.from_dict(data).to_dict()
    assert out["estimated_amount_eur"] == 1200000.5
    assert out["lots"][0]["amount_eur"] == 1000 and isinstance(out["lots"][0]["amount_eur"], int)
    assert out["lots"][1]["amount_eur"] == 2500.25
    again = Dossier.from_dict(out)
    assert again.lots[1].amount_eur == Decimal("2500.25") and again.estimated_amount_eur == Decimal("1200000.50")
    assert isinstance(Dossier.from_dict(example(1200000)).to_dict()["estimated_amount_eur"], int)


@pytest.mark.parametrize("bad", [-1, "abc", float("nan"), float("inf"), True, "12.345"])
def test_bad_amounts_are_refused_in_french(bad):
    with pytest.raises(ValidationError) as caught:
        Dossier.from_dict(example(bad))
    assert "estimated_amount_eur" in str(caught.value)


def test_integers_given_by_code_become_decimal_amounts():
    lot = Lot("A", None, 1000)
    dossier = Dossier(title="x", estimated_amount_eur=5, lots=[lot])
    assert isinstance(lot.amount_eur, Decimal) and isinstance(dossier.estimated_amount_eur, Decimal)
    assert dossier.amount_eur == 1000
