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


def test_the_per_dossier_sheet_traces_every_yearly_figure(tmp_path: Path) -> None:
    from datetime import date

    from achatsdesk.domain.dossier import ClauseSelection, Dossier
    from achatsdesk.domain.indicators import indicators_by_dossier, indicators_by_year
    from achatsdesk.services.clause_library import load_library

    library = {c.id: c for c in load_library(None).all()}
    dossiers = [
        Dossier(title="Nettoyage (exemple)", cpv=["90911200-8"], estimated_amount_eur=300_000, launch_date=date(2026, 3, 1),
                clauses=[ClauseSelection("insertion-heures", variables={"heures": 800}),
                         ClauseSelection("condition-environnementale")]),
        Dossier(title="Espaces verts (exemple)", estimated_amount_eur=200_000, launch_date=date(2026, 6, 1),
                clauses=[ClauseSelection("reserve-siae")]),
        Dossier(title="Sans date (exemple)", estimated_amount_eur=10_000),
    ]
    years = indicators_by_year(dossiers, library)
    lines = indicators_by_dossier(dossiers, library)
    out = write_indicators(years, tmp_path / "indicateurs.xlsx", dossiers=lines)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Indicateurs", "Par dossier", "À lire"]
    detail = workbook["Par dossier"]
    rows = [[c.value for c in row] for row in detail.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["Espaces verts (exemple)", "Nettoyage (exemple)", "Sans date (exemple)"]
    summary = {row[0].value: [c.value for c in row] for row in workbook["Indicateurs"].iter_rows(min_row=2)}
    for year, line in summary.items():
        mine = [r for r in rows if r[2] == year]
        assert line[1] == len(mine)  # dossiers
        assert line[2] == sum(r[3] for r in mine)  # amount
        assert line[3] == sum(r[12] == "oui" for r in mine)  # with a social clause
        assert line[6] == sum(r[13] == "oui" for r in mine)  # with an environmental clause
        assert line[9] == sum(r[11] for r in mine)  # insertion hours
        assert line[10] == sum(r[14] == "oui" for r in mine)  # reserved
    assert summary[2026][9] == 800 and summary[2026][10] == 1
    assert workbook["Indicateurs"].sheet_properties.pageSetUpPr.fitToPage is True
