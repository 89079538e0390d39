"""The dossier's supplier shortlist as a spreadsheet a buyer can filter and send on."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from achatsdesk.documents.model import ShortlistRow
from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.typography import clean_text
from achatsdesk.documents.xlsx_style import print_setup, style_header_row

COLUMNS = ("Nom", "SIRET", "Type", "Adresse", "Commune", "Distance (km)", "Secteurs", "Source", "Date de la source")
CONTACT_COLUMNS = (("website", "Site internet"), ("email", "Courriel"), ("phone", "Téléphone"))
_WIDTH_LIMITS = {"Nom": (18, 50), "Adresse": (16, 45), "Secteurs": (16, 60), "Site internet": (14, 40), "Courriel": (14, 40)}


def write_shortlist(rows: list[ShortlistRow], destination: str | os.PathLike[str], *, title: str = "") -> Path:
    workbook = build_shortlist(rows, title=title)
    return write_atomically(destination, lambda temp: workbook.save(str(temp)))


def build_shortlist(rows: list[ShortlistRow], *, title: str = "") -> Workbook:
    """One sheet, ready to print: landscape, one page wide, header row on every page, the
    dossier named in the page header; nearest first when distances are known."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Fournisseurs"
    contacts = [(key, label) for key, label in CONTACT_COLUMNS if any(getattr(r, key) for r in rows)]
    columns = list(COLUMNS) + [label for _, label in contacts]
    sheet.append(columns)
    if any(r.distance_km is not None for r in rows):  # a place was given: nearest first
        rows = sorted(rows, key=lambda r: (r.distance_km is None, r.distance_km or 0, r.name.casefold()))
    for row in rows:
        sheet.append([
            clean_text(row.name),
            clean_text(row.siret),  # text, so Excel keeps leading zeros and does not write 1.23E+13
            clean_text(row.kind),
            clean_text(row.address),
            clean_text(row.commune),
            round(row.distance_km, 1) if row.distance_km is not None else None,
            clean_text(", ".join(row.sectors)),
            clean_text(row.source),
            _as_date(row.source_date),
            *(clean_text(getattr(row, key)) for key, _ in contacts),
        ])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if cell.data_type == "f":  # a name typed "=HYPERLINK(…)" stays text, never a formula
                cell.data_type = "s"
    style_header_row(sheet)
    for cell in sheet["B"][1:]:
        cell.number_format = "@"
    for cell in sheet["F"][1:]:
        cell.number_format = "0.0"
    for cell in sheet["I"][1:]:
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    _widths(sheet, columns)
    print_setup(sheet, title=f"Fournisseurs présélectionnés – {clean_text(title)}" if title else "Fournisseurs présélectionnés")
    if title:
        workbook.properties.title = clean_text(f"Fournisseurs présélectionnés – {title}")
    workbook.properties.creator = "achatsdesk"
    return workbook


def _widths(sheet, columns: list[str]) -> None:
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        longest = max([len(name)] + [len(str(c.value)) for c in sheet[letter][1:200] if c.value is not None])
        low, high = _WIDTH_LIMITS.get(name, (10, 30))
        sheet.column_dimensions[letter].width = min(max(longest + 2, low), high)


def _as_date(value: date | str | None) -> date | str | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = clean_text(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return text or None
