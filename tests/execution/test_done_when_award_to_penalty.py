"""Issue 16, done-when 1, in one go: the example dossier from validated to awarded (two lots,
one holder a real SIAE of the embedded catalogue), four quarters of hours, a facilitator's
report with one bad row, planned vs realised, the balance and the penalty with its explanation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.domain.formatting import format_money
from achatsdesk.services import execution
from achatsdesk.services.dossiers import get_dossier
from achatsdesk.services.execution_report import import_report
from tests.execution.conftest import OTHER_SIRET, SIAE_NAME, SIAE_SIRET


def test_from_validated_to_penalty(database, validated, tmp_path) -> None:
    assert get_dossier(database, validated).dossier.status == DossierStatus.VALIDE
    execution.award_lot(database, validated, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000,
                        duration_months=12, offers_received=3, procedure="ao-ouvert")
    execution.award_lot(database, validated, lot=2, siret=OTHER_SIRET, name="Propreté Exemple (fictive)",
                        notified_on="2027-01-04", amount=490000, duration_months=12, offers_received=5)
    awards = execution.awards_of(database, validated)
    assert (awards[0].holder_name, awards[0].holder_kind, awards[0].inclusive) == (SIAE_NAME, "ACI", True)
    assert get_dossier(database, validated).dossier.status == DossierStatus.ATTRIBUE

    # Four quarters of lot 1 entered by the buyer.
    for period, hours in (("2027-T1", 70), ("2027-T2", 90), ("2027-T3", 85), ("2027-T4", 75)):
        execution.record_realised(database, validated, clause_id="insertion-heures", lot=1, period=period,
                                  value=hours, reported_by="Service achats")
    # The facilitator's report for lot 2: line 3 is bad (no such quarter), the others are kept.
    report = tmp_path / "releve-facilitateur.csv"
    report.write_text(
        "SIRET;Période;Heures;RSA;Femmes\n"
        f"{OTHER_SIRET};2027-T1;60;1;1\n"
        f"{OTHER_SIRET};2027-T5;40;0;0\n"
        f"{OTHER_SIRET};2027-T2;65;2;0\n"
        f"{OTHER_SIRET};2027-T3;70;0;1\n"
        f"{OTHER_SIRET};2027-T4;55;1;1\n", encoding="utf-8")
    outcome = import_report(database, validated, report, reported_by="PLIE (fictif)")
    assert [(r.line, r.reason) for r in outcome.rejected] == [
        (3, "Période « 2027-T5 » invalide : un trimestre s'écrit 2027-T1 (T1 à T4)")]
    assert outcome.rows_kept == 4
    assert get_dossier(database, validated).dossier.status == DossierStatus.EN_EXECUTION

    follow = execution.dossier_follow_up(database, validated, today=date(2028, 1, 15))
    first, second = follow.lots
    assert (first.progress[0].commitment.planned, first.progress[0].realised, first.progress[0].balance) == (400, 320, 80)
    assert (second.progress[0].commitment.planned, second.progress[0].realised, second.progress[0].balance) == \
        (300, 250, 50)
    assert follow.totals() == (700, 570) and follow.balance == 130
    assert first.end_date == second.end_date == date(2028, 1, 4)
    # The penalty of the clause: 30 € per missing hour, capped at 5 % of the awarded amount; never applied.
    assert (first.penalty.amount, first.penalty.due) == (Decimal("2400.00"), True)
    assert second.penalty.amount == Decimal("1500.00")
    assert f"80 × {format_money(30)} = {format_money(2400)}" in first.penalty.explanation
    assert "dans la limite de 5 % du montant attribué" in first.penalty.explanation
    assert "jamais appliquée automatiquement" in second.penalty.explanation
    assert follow.late == []  # the contract has ended: no report is awaited any more
