"""From validated to awarded, four quarters of hours, planned vs realised, balance and penalty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.domain.formatting import format_money
from achatsdesk.errors import ValidationError
from achatsdesk.services import execution
from achatsdesk.services.dossiers import create_dossier, get_dossier
from tests.execution.conftest import OTHER_SIRET, SIAE_NAME, SIAE_SIRET, example_dossier


def _award_both(database, dossier_id: int) -> None:
    execution.award_lot(database, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000,
                        duration_months=12, offers_received=3, procedure="ao-ouvert")
    execution.award_lot(database, dossier_id, lot=2, siret=OTHER_SIRET, name="Propreté Exemple (fictive)",
                        notified_on="2027-01-04", amount="490 000", duration_months=12, offers_received=5,
                        procedure="ao-ouvert")


def test_award_takes_the_kind_and_name_from_the_catalogue(database, validated) -> None:
    _award_both(database, validated)
    awards = execution.awards_of(database, validated)
    assert [(a.lot, a.holder_kind, a.inclusive) for a in awards] == [(1, "ACI", True), (2, None, False)]
    assert awards[0].holder_name == SIAE_NAME
    assert awards[0].end_date == date(2028, 1, 4)
    assert get_dossier(database, validated).dossier.status == DossierStatus.ATTRIBUE


def test_a_draft_cannot_be_awarded_and_a_bad_siret_is_refused(database, validated) -> None:
    draft = create_dossier(database, example_dossier())
    with pytest.raises(ValidationError, match="validé"):
        execution.award_lot(database, draft, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=1)
    with pytest.raises(ValidationError, match="SIRET du titulaire « 77554402601178 »"):
        execution.award_lot(database, validated, lot=1, siret="77554402601178", notified_on="2027-01-04", amount=1)
    with pytest.raises(ValidationError, match="lot n° 3"):
        execution.award_lot(database, validated, lot=3, siret=SIAE_SIRET, notified_on="2027-01-04", amount=1)
    assert execution.awards_of(database, validated) == []


def test_undo_gives_back_the_validated_status(database, validated) -> None:
    _award_both(database, validated)
    assert execution.undo_award(database, validated, 2)
    assert get_dossier(database, validated).dossier.status == DossierStatus.ATTRIBUE
    assert execution.undo_award(database, validated, 1)
    assert get_dossier(database, validated).dossier.status == DossierStatus.VALIDE
    assert not execution.undo_award(database, validated, 1)


def test_four_quarters_planned_vs_realised_balance_and_penalty(database, validated) -> None:
    _award_both(database, validated)
    for period, hours in (("2027-T1", 80), ("2027-T2", 90), ("2027-T3", 100), ("2027-T4", 70)):
        execution.record_realised(database, validated, clause_id="insertion-heures", lot=1, period=period,
                                  value=hours, reported_by="Facilitateur du PLIE")
    execution.record_realised(database, validated, clause_id="insertion-heures", lot=2, period="2027-T1", value=300)
    assert get_dossier(database, validated).dossier.status == DossierStatus.EN_EXECUTION

    follow = execution.dossier_follow_up(database, validated, today=date(2028, 2, 1))
    first, second = follow.lots
    hours = first.progress[0]
    assert list(hours.by_period.items()) == [("2027-T1", 80), ("2027-T2", 90), ("2027-T3", 100), ("2027-T4", 70)]
    assert (hours.commitment.planned, hours.realised, hours.balance) == (400, 340, 60)
    assert hours.ratio == Decimal("0.85")
    assert follow.totals() == (700, 640) and follow.balance == 60
    assert first.end_date == date(2028, 1, 4)
    # 60 missing hours at 30 € = 1 800 €, under the cap of 5 % of 680 000 € (34 000 €); the contract has ended.
    penalty = first.penalty
    assert (penalty.missing, penalty.amount, penalty.cap, penalty.due) == (60, Decimal("1800.00"), Decimal("34000.00"), True)
    assert "60 h manquent" in penalty.explanation
    assert f"soit 60 × {format_money(30)} = {format_money(1800)}" in penalty.explanation
    assert "jamais appliquée automatiquement" in penalty.explanation
    assert second.penalty.amount == 0 and "engagement est tenu" in second.penalty.explanation


def test_a_figure_for_an_unfollowed_clause_or_a_bad_period_is_refused(database, validated) -> None:
    _award_both(database, validated)
    with pytest.raises(ValidationError, match="2027-5"):
        execution.record_realised(database, validated, clause_id="insertion-heures", lot=1, period="2027-5", value=1)
    with pytest.raises(ValidationError, match="engagement mesurable"):
        execution.record_realised(database, validated, clause_id="insertion-penalites", period="2027-T1", value=1)
    with pytest.raises(ValidationError, match="plusieurs lots"):
        execution.record_realised(database, validated, clause_id="insertion-heures", period="2027-T1", value=1)


def test_a_running_contract_without_report_for_four_months_is_late(database, validated) -> None:
    _award_both(database, validated)
    follow = execution.dossier_follow_up(database, validated, today=date(2027, 5, 10))
    assert [lot.late_label for lot in follow.lots] == ["aucun relevé depuis 4 mois"] * 2
    assert execution.dossier_follow_up(database, validated, today=date(2027, 4, 10)).late == []
