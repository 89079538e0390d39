"""A facilitator's report: a bad row rejected with its line and reason, the others kept, in one go."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from achatsdesk.errors import InputFileError
from achatsdesk.services import execution
from achatsdesk.services.execution_report import import_report, preview_report
from tests.execution.conftest import OTHER_SIRET, SIAE_SIRET

REPORT = (
    "SIRET du titulaire;Période;Heures réalisées;DELD;Moins de 26 ans;RSA;Travailleurs handicapés;QPV;Femmes\n"
    f"{SIAE_SIRET};2027-T1;80;1;1;0;0;1;1\n"
    f"{SIAE_SIRET};2027-T2;90,5;1;0;1;0;0;1\n"
    f"{SIAE_SIRET};2027-T3;douze;0;0;0;0;0;0\n"
    f"{OTHER_SIRET};2027-T1;60;0;2;0;0;0;1\n"
)


@pytest.fixture
def awarded(database, validated) -> int:
    execution.award_lot(database, validated, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000,
                        duration_months=12)
    execution.award_lot(database, validated, lot=2, siret=OTHER_SIRET, name="Propreté Exemple (fictive)",
                        notified_on="2027-01-04", amount=490000, duration_months=12)
    return validated


def test_report_with_one_bad_row_keeps_the_others(database, awarded, tmp_path) -> None:
    path = tmp_path / "releve-plie.csv"
    path.write_text(REPORT, encoding="utf-8")
    assert preview_report(path).mapping["hours"] == "Heures réalisées"
    outcome = import_report(database, awarded, path, reported_by="PLIE du Val-d'Oise")
    assert (outcome.rows_read, outcome.rows_kept) == (4, 3)
    assert [(r.line, r.reason) for r in outcome.rejected] == [(4, "La valeur réalisée « douze » n'est pas un nombre")]
    follow = execution.dossier_follow_up(database, awarded, today=date(2027, 7, 1))
    first, second = follow.lots
    assert first.progress[0].by_period == {"2027-T1": 80, "2027-T2": 90.5}
    assert second.progress[0].realised == 60
    figures = execution.dossier_follow_up(database, awarded).lots[0]
    assert figures.last_report is not None
    assert follow.totals() == (700, 230.5)


def test_xlsx_report_by_reference_and_lot(database, awarded, tmp_path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Référence marché", "Lot", "Trimestre", "Heures"])
    sheet.append(["2026-NET-01", 2, "T2 2027", 45])
    sheet.append(["2026-NET-99", 2, "2027-T2", 45])
    book.save(tmp_path / "releve.xlsx")
    outcome = import_report(database, awarded, tmp_path / "releve.xlsx")
    assert outcome.rows_kept == 1 and outcome.rejected[0].line == 3
    assert "2026-NET-99" in outcome.rejected[0].reason
    assert execution.dossier_follow_up(database, awarded).lots[1].progress[0].by_period == {"2027-T2": 45}


def test_report_without_an_hours_column_changes_nothing(database, awarded, tmp_path) -> None:
    path = tmp_path / "releve.csv"
    path.write_text(f"SIRET;Période\n{SIAE_SIRET};2027-T1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="Heures réalisées") as caught:
        import_report(database, awarded, path)
    assert "Rien n'a été importé" in caught.value.hint
    assert all(p.realised == 0 for lot in execution.dossier_follow_up(database, awarded).lots for p in lot.progress)
