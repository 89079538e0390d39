"""The indicators spreadsheet: numbers stay numbers, with euro and percent formats, and a note."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from achatsdesk.documents.xlsx_indicators import COLUMNS, write_indicators
from achatsdesk.domain.indicators import NO_DATE, YearIndicators


def test_the_spreadsheet_keeps_numbers_and_formats(tmp_path: Path) -> None:
    lines = [
        YearIndicators(2026, 3, Decimal("500000.50"), 2, Decimal("400000"), 1, Decimal("100000"), 1600, 1),
        YearIndicators(NO_DATE, 1, Decimal(0), 0, Decimal(0), 0, Decimal(0), 0, 0),
    ]
    out = write_indicators(lines, tmp_path / "indicateurs.xlsx")
    workbook = load_workbook(out)
    sheet = workbook["Indicateurs"]
    assert tuple(cell.value for cell in sheet[1]) == COLUMNS
    first = [cell.value for cell in sheet[2]]
    assert first[:5] == [2026, 3, 500000.5, 2, 400000]
    assert abs(first[5] - 400000 / 500000.5) < 1e-9 and first[9:] == [1600, 1]
    assert sheet["C2"].number_format.endswith('"€"') and sheet["F2"].number_format == "0.0 %"
    second = [cell.value for cell in sheet[3]]
    assert second[0] == "Sans date de lancement" and second[5] is None  # no amount: no share, not 0 %
    assert "pas des marchés attribués" in workbook["À lire"]["A1"].value
