"""Justifications on the checklist items that record a choice (no lots, a dispense, a negotiated
procedure): required before the item is done, printed in the review report, carried in the
exchange file."""

from __future__ import annotations

from datetime import date

import pytest

from achatsdesk.domain.dossier import Buyer, BuyerKind, Dossier, Nature
from achatsdesk.errors import ValidationError
from achatsdesk.services import dossiers as svc
from achatsdesk.services.dossier_exchange import export_dossier, import_dossier
from achatsdesk.services.exports import review_input_for
from tests.dossier_edits import answer

REASON = "Prestations indissociables : un seul intervenant pour la maintenance et l'exploitation"


def undivided() -> Dossier:
    return Dossier("Exploitation du chauffage (fictif)", buyer=Buyer("Commune fictive", BuyerKind.COLLECTIVITE),
                   nature=Nature.SERVICES, cpv=["50720000-8"], estimated_amount_eur=300_000, launch_date=date(2026, 12, 1))


def items(review):
    return {item.title: item for step in review.checklist for item in step.items}


def test_undivided_dossier_needs_the_l2113_11_justification(database, tmp_path):
    dossier_id = svc.create_dossier(database, undivided())
    with pytest.raises(ValidationError, match="L2113-11"):
        answer(database, dossier_id, "lots-decision", "fait")
    review = review_input_for(dossier_id, database=database)
    lots_item = next(i for t, i in items(review).items() if t.startswith("Allotir"))
    assert "Justification requise, non écrite" in lots_item.justification

    answer(database, dossier_id, "lots-decision", "fait", REASON)
    review = review_input_for(dossier_id, database=database)
    lots_item = next(i for t, i in items(review).items() if t.startswith("Allotir"))
    assert lots_item.justification == REASON

    exported = export_dossier(database, dossier_id, tmp_path / "envoi.achatsdesk")
    outcome = import_dossier(database, exported)
    assert svc.get_dossier(database, outcome.dossier_id).dossier.items["lots-decision"].justification == REASON


def test_negotiated_procedure_item_needs_its_r2124_3_case(database):
    dossier_id = svc.create_dossier(database, undivided())
    with pytest.raises(ValidationError, match="R2124-3"):
        answer(database, dossier_id, "besoin-negociation", "fait", "court")
    answer(database, dossier_id, "besoin-negociation", "sans_objet")  # appel d'offres: nothing to justify
    answer(database, dossier_id, "besoin-negociation", "fait", "R2124-3 2° : le besoin comporte une part de conception")
    state = svc.get_dossier(database, dossier_id).dossier.items["besoin-negociation"]
    assert state.justification.startswith("R2124-3")


def test_review_report_says_a_concession_is_not_judged_and_what_the_amount_includes():
    from achatsdesk.domain.dossier import ContractKind

    concession = undivided()
    concession.contract_kind = ContractKind.CONCESSION
    review = review_input_for(concession)
    assert review.summary[0][0] == "Examen" and "ne juge pas les concessions" in review.summary[0][1]
    assert review.obligations == []
    ordinary = undivided()
    ordinary.amount_includes = ["options", "reconductions"]
    amount = dict(review_input_for(ordinary).summary)["Montant estimé"]
    assert "comprenant les options, les reconductions" in amount
    assert "non précisé" in dict(review_input_for(undivided()).summary)["Montant estimé"]
