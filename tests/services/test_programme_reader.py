"""Reading a programme: XLSX, ODS and CSV alike, usual French headings, remembered mappings,
and the cells a buyer writes (quarters, French amounts, lots)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from achatsdesk.errors import InputFileError, ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.programme_lines import parse_amount, parse_launch, parse_lots
from achatsdesk.services.programme_reader import (
    guess_mapping,
    read_table,
    remember_mapping,
    remembered_mapping,
)

EXAMPLE = resources_dir().parent / "examples" / "programme-2027.csv"


def example_rows() -> list[list[str]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Programme")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def test_usual_french_headings_are_recognised() -> None:
    mapping = guess_mapping(["N°", "Service", "Objet de l'achat", "Code CPV", "Nature", "Montant estimé HT (€)",
                             "Trimestre de lancement", "Lieu d'exécution", "Lots", "Durée (mois)"])
    assert mapping == {
        "reference": "N°", "service": "Service", "title": "Objet de l'achat", "cpv": "Code CPV", "nature": "Nature",
        "amount": "Montant estimé HT (€)", "launch": "Trimestre de lancement", "place": "Lieu d'exécution",
        "lots": "Lots", "duration": "Durée (mois)",
    }


def test_the_three_formats_give_the_same_lines(tmp_path: Path) -> None:
    rows = example_rows()
    from_csv = read_table(EXAMPLE)
    from_xlsx = read_table(write_xlsx(tmp_path / "programme.xlsx", rows))
    from_ods = read_table(write_ods(tmp_path / "programme.ods", rows))
    assert from_ods.description == "classeur ODS" and from_xlsx.description == "classeur XLSX"
    expected = [(r.line, r.cells) for r in from_csv.rows()]
    assert len(expected) == 40 and expected[0][0] == 3  # the title line and the headings come first
    assert [(r.line, r.cells) for r in from_xlsx.rows()] == expected
    assert [(r.line, r.cells) for r in from_ods.rows()] == expected


def test_numbers_typed_as_numbers_in_a_spreadsheet_are_read(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "chiffres.ods", [["Objet", "Montant", "Lancement"], ["Papier", 120000.5, "T1 2027"]])
    row = read_table(path).rows()[0]
    assert parse_amount(row.cells["amount"]) == Decimal("120000.50")
    xlsx = write_xlsx(tmp_path / "chiffres.xlsx", [["Objet", "Montant", "Date de lancement"],
                                                   ["Papier", 120000, date(2027, 3, 15)]])
    row = read_table(xlsx).rows()[0]
    assert parse_amount(row.cells["amount"]) == Decimal("120000.00")
    assert parse_launch(row.cells["launch"], None) == (date(2027, 3, 15), "")


def test_a_mapping_is_remembered_per_layout(tmp_path: Path) -> None:
    headers = ["Quoi", "Combien", "Quand"]
    assert remembered_mapping(headers) is None
    remember_mapping(headers, {"title": "Quoi", "amount": "Combien", "launch": "Quand"})
    path = tmp_path / "autre.csv"
    path.write_text("Quoi;Combien;Quand\nPapier;100;T1 2027\n", encoding="utf-8")
    table = read_table(path)
    assert table.mapping_origin == "mémorisée" and table.missing == []
    assert table.rows()[0].cells == {"title": "Papier", "amount": "100", "launch": "T1 2027"}
    assert remembered_mapping(["Quoi", "Combien", "Quand", "Où"]) is None  # another layout asks again


@pytest.mark.parametrize(("text", "expected"), [
    ("T2 2027", date(2027, 4, 1)), ("2027-T3", date(2027, 7, 1)), ("Q4 2027", date(2027, 10, 1)),
    ("2e trimestre 2027", date(2027, 4, 1)), ("1er trimestre", date(2027, 1, 1)), ("mars 2027", date(2027, 3, 1)),
    ("Septembre", date(2027, 9, 1)), ("03/2027", date(2027, 3, 1)), ("15/03/2027", date(2027, 3, 15)),
    ("2027-03-15", date(2027, 3, 15)), ("2027-03-15 00:00:00", date(2027, 3, 15)), ("S2 2027", date(2027, 7, 1)),
])
def test_launch_periods(text: str, expected: date) -> None:
    assert parse_launch(text, 2027)[0] == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("", "absente"), ("bientôt", "incomprise"), ("31/02/2027", "incomprise"),
])
def test_unreadable_launch_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_launch(text, 2027)


def test_a_quarter_without_year_needs_the_programme_year() -> None:
    with pytest.raises(ValidationError, match="n'a pas d'année"):
        parse_launch("T2", None)


def test_lots_share_the_amount_to_the_cent() -> None:
    lots = parse_lots("3", Decimal("100000.00"), "45442100-8")
    assert [lot.amount_eur for lot in lots] == [Decimal("33333.33"), Decimal("33333.33"), Decimal("33333.34")]
    named = parse_lots("Bureaux=700000; Gymnases=500000", Decimal("1200000"), None)
    assert [(lot.title, lot.amount_eur) for lot in named] == [("Bureaux", Decimal("700000.00")),
                                                              ("Gymnases", Decimal("500000.00"))]
    with pytest.raises(ValidationError, match="ne font pas le montant"):
        parse_lots("A=1; B=2", Decimal("10"), None)
    assert parse_lots("non", Decimal("10"), None) == []


def test_amounts_in_french() -> None:
    assert parse_amount("1 200 000") == Decimal("1200000.00")
    assert parse_amount("215 999,99 € HT") == Decimal("215999.99")
    with pytest.raises(ValidationError, match="« abc » illisible"):
        parse_amount("abc")


def test_an_empty_or_missing_file_is_refused_in_french(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="introuvable"):
        read_table(tmp_path / "absent.csv")
    empty = tmp_path / "vide.ods"
    write_ods(empty, [])
    with pytest.raises(InputFileError, match="aucune ligne"):
        read_table(empty)
