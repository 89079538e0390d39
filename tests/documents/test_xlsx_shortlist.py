from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from achatsdesk.documents.model import ShortlistRow
from achatsdesk.documents.xlsx_shortlist import COLUMNS, write_shortlist

ROWS = [
    ShortlistRow("Structure fictive A\x07", "01234567800011", "ESAT", "1 rue d'exemple", "Cergy", 3.24,
                 ("Nettoyage", "Espaces verts"), "Fichier d'exemple", date(2025, 6, 1)),
    ShortlistRow("Structure fictive B", "", "EI", "", "Pontoise", None, (), "Saisie", "2019-12-31"),
]


def test_columns_values_header_and_filter(tmp_path: Path):
    out = write_shortlist(ROWS, tmp_path / "fournisseurs.xlsx", title="Dossier d'exemple")
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    first = [c.value for c in sheet[2]]
    assert first[0] == "Structure fictive A"  # control character removed
    assert first[1] == "01234567800011"  # kept as text, leading zero intact
    assert first[5] == 3.2 and first[6] == "Nettoyage, Espaces verts"
    assert first[8] in (date(2025, 6, 1), datetime(2025, 6, 1))
    second = [c.value for c in sheet[3]]
    assert second[5] is None and second[8] in (date(2019, 12, 31), datetime(2019, 12, 31))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"}
    assert all(8 <= w <= 60 for w in widths.values())
    assert widths["A"] > widths["C"]


def test_empty_shortlist_still_has_its_header(tmp_path: Path):
    sheet = load_workbook(write_shortlist([], tmp_path / "vide.xlsx")).active
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:I1"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    rows = [ShortlistRow('=HYPERLINK("http://exemple.invalid","x")', "=1+1", "EI")]
    out = write_shortlist(rows, tmp_path / "f.xlsx")
    sheet = load_workbook(out).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")
    assert sheet["B2"].data_type == "s"


def test_the_shortlist_prints_on_one_page_wide_nearest_first(tmp_path: Path):
    rows = [
        ShortlistRow("Structure fictive loin", kind="EI", distance_km=42.0, source_date="2025-01-15"),
        ShortlistRow("Structure fictive sans lieu", kind="EA"),
        ShortlistRow("Structure fictive proche", kind="ESAT", distance_km=1.5, website="https://exemple.invalid"),
    ]
    out = write_shortlist(rows, tmp_path / "fournisseurs.xlsx", title="Nettoyage & vitrerie")
    sheet = load_workbook(out).active
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == [
        "Structure fictive proche", "Structure fictive loin", "Structure fictive sans lieu"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    assert "Nettoyage && vitrerie" in sheet.oddHeader.center.text
    assert sheet.cell(3, 9).is_date and sheet.cell(3, 9).number_format == "DD/MM/YYYY"
    assert sheet.cell(1, 10).value == "Site internet" and sheet.cell(2, 10).value == "https://exemple.invalid"


def test_contact_columns_only_when_the_data_has_them(tmp_path: Path):
    sheet = load_workbook(write_shortlist(ROWS, tmp_path / "f.xlsx")).active
    assert sheet.max_column == len(COLUMNS)
