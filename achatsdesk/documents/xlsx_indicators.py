"""The indicators by launch year as a spreadsheet, for the SPASER report."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.xlsx_style import style_header_row
from achatsdesk.domain.indicators import YearIndicators

COLUMNS = (
    "Année de lancement", "Dossiers", "Montant estimé (€ HT)",
    "Dossiers avec clause sociale", "Montant avec clause sociale (€ HT)", "Part du montant avec clause sociale",
    "Dossiers avec clause environnementale", "Montant avec clause environnementale (€ HT)",
    "Part du montant avec clause environnementale", "Heures d'insertion prévues", "Marchés ou lots réservés",
)
MONEY = '#,##0.00 "€"'
SHARE = "0.0 %"
NOTE = ("Dossiers préparés dans achatsdesk sur ce poste, par année de lancement : des consultations préparées, "
        "pas des marchés attribués. Une clause compte comme sociale ou environnementale selon l'achat "
        "stratégique qu'elle déclare dans l'avis (eForms BT-06).")


def write_indicators(lines: list[YearIndicators], destination: str | os.PathLike[str]) -> Path:
    workbook = build_indicators(lines)
    return write_atomically(destination, lambda temp: workbook.save(str(temp)))


def build_indicators(lines: list[YearIndicators]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicateurs"
    sheet.append(list(COLUMNS))
    for line in lines:
        sheet.append([
            line.year if isinstance(line.year, int) else "Sans date de lancement",
            line.dossiers, float(line.amount_eur),
            line.social, float(line.social_amount_eur), _share(line, line.social_amount_eur),
            line.environmental, float(line.environmental_amount_eur), _share(line, line.environmental_amount_eur),
            line.insertion_hours, line.reserved,
        ])
    style_header_row(sheet)
    for column, number_format in ((3, MONEY), (5, MONEY), (8, MONEY), (6, SHARE), (9, SHARE)):
        for cell in sheet[get_column_letter(column)][1:]:
            cell.number_format = number_format
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.row_dimensions[1].height = 45
    notes = workbook.create_sheet("À lire")
    notes["A1"] = NOTE
    notes["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 100
    notes.row_dimensions[1].height = 60
    return workbook


def _share(line: YearIndicators, amount) -> float | None:
    share = line.share(amount)
    return float(share) if share is not None else None
