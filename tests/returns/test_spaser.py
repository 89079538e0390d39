"""SPASER realised figures beside the planned ones: per year and service, one row per contract."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from achatsdesk.services import execution
from achatsdesk.services.returns import export_spaser, spaser_figures


def test_realised_figures_per_year_and_service(database, awarded, tmp_path) -> None:
    execution.record_realised(database, awarded, clause_id="insertion-heures", lot=1, period="2027-T1", value=150,
                              beneficiaries={"rsa": 2, "femmes": 1})
    execution.record_realised(database, awarded, clause_id="insertion-heures", lot=2, period="2027-T2", value=40)
    (line,) = spaser_figures(database, 2027)
    assert (line.year, line.service, line.contracts, line.amount_eur) == (2027, "Département du Val-d'Oise", 2,
                                                                         Decimal("1170000.00"))
    assert (line.social, line.environmental, line.reserved) == (2, 0, 0)
    assert (line.hours_planned, line.hours_realised, line.beneficiaries) == (700, 190, 3)
    assert (line.inclusive_awards, line.inclusive_amount_eur) == (1, Decimal("680000.00"))
    book = load_workbook(export_spaser(database, 2027, tmp_path / "spaser.xlsx").path)
    rows = list(book["Marchés"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[6], r[7], r[13], r[14]) for r in rows] == [
        (f"dossier n° {awarded}", "2026-NET-01-L1", "77554402601177", "ACI", 400, 150),
        (f"dossier n° {awarded}", "2026-NET-01-L2", "73282932000074", None, 300, 40),
    ]
    assert spaser_figures(database, 2026) == []
