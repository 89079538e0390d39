"""The indicators by launch year as a spreadsheet, for the SPASER report."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.typography import clean_text
from achatsdesk.documents.xlsx_style import print_setup, style_header_row
from achatsdesk.domain.indicators import DossierIndicators, YearIndicators

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


DOSSIER_COLUMNS = (
    "Dossier", "Référence", "Année de lancement", "Montant estimé (€ HT)",
    "Clauses sociales", "Clauses environnementales", "Conditions d'exécution", "Critères d'attribution",
    "Spécifications techniques", "Réservations", "Mentions", "Heures d'insertion prévues",
    "Compté « clause sociale »", "Compté « clause environnementale »", "Compté « réservé »",
)
_KINDS = ("condition-execution", "critere-attribution", "specification-technique", "reservation", "mention")


def write_indicators(lines: list[YearIndicators], destination: str | os.PathLike[str], *,
                     dossiers: list[DossierIndicators] | None = None) -> Path:
    workbook = build_indicators(lines, dossiers=dossiers)
    return write_atomically(destination, lambda temp: workbook.save(str(temp)))


def build_indicators(lines: list[YearIndicators], *, dossiers: list[DossierIndicators] | None = None) -> Workbook:
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
    print_setup(sheet, title="Indicateurs des dossiers par année de lancement")
    if dossiers is not None:
        _dossier_sheet(workbook, dossiers)
    notes = workbook.create_sheet("À lire")
    notes["A1"] = NOTE
    notes["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 100
    notes.row_dimensions[1].height = 60
    return workbook


def _dossier_sheet(workbook: Workbook, dossiers: list[DossierIndicators]) -> None:
    """One line per dossier, so that every figure of the summary can be traced to its dossiers."""
    sheet = workbook.create_sheet("Par dossier")
    sheet.append(list(DOSSIER_COLUMNS))
    for line in dossiers:
        kinds = dict(line.clauses_by_kind)
        sheet.append([
            clean_text(line.title), clean_text(line.reference),
            line.year if isinstance(line.year, int) else "Sans date de lancement", float(line.amount_eur),
            line.social_clauses, line.environmental_clauses, *(kinds.get(kind, 0) for kind in _KINDS),
            line.insertion_hours, "oui" if line.social else "non", "oui" if line.environmental else "non",
            "oui" if line.reserved else "non",
        ])
    for row_cells in sheet.iter_rows(min_row=2, max_col=2):
        for cell in row_cells:
            if cell.data_type == "f":  # a title typed "=…" stays text
                cell.data_type = "s"
    style_header_row(sheet)
    for cell in sheet["D"][1:]:
        cell.number_format = MONEY
    sheet.column_dimensions["A"].width = 45
    for index in range(2, len(DOSSIER_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 15
    sheet.row_dimensions[1].height = 45
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(DOSSIER_COLUMNS))}{max(1, len(dossiers) + 1)}"
    print_setup(sheet, title="Indicateurs : le détail par dossier")


def _share(line: YearIndicators, amount) -> float | None:
    share = line.share(amount)
    return float(share) if share is not None else None
