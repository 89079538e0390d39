"""The judged programme as a workbook: a summary sheet, then one sheet per service.

Print-ready: every sheet is landscape A4, fitted to one page wide (as many
pages tall as needed), with its header row repeated on each page. The summary
holds plain values (no formulas) so that any reader sees the same figures:
they are the sums of the service sheets' lines, which a test checks.

It reads the programme's JSON document (services.programme.result_document),
the same one ``programme check --json`` prints, so both always agree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.xlsx_style import style_header_row
from achatsdesk.domain.levers import LEVER_LABELS, Lever
from achatsdesk.domain.thresholds import PROCEDURE_LABELS

MONEY = '#,##0.00 "€"'
SHARE = "0.0 %"
SUMMARY_TITLE = "Synthèse"
LINE_COLUMNS = (
    ("Ligne", 7), ("Objet", 38), ("Code CPV", 12), ("Nature", 12), ("Montant estimé (€ HT)", 16),
    ("Lancement", 12), ("Lieu", 16), ("Procédure", 18), ("Obligations obligatoires", 11),
    ("Détail des obligations obligatoires", 40), ("Levier conseillé", 20), ("Structures inclusives proches", 12),
    ("Structures de secteur inconnu", 12), ("Heures d'insertion potentielles", 12), ("Signalements", 40),
    ("Ligne illisible : motif", 36),
)
AMOUNT_COLUMN = 5
HOURS_COLUMN = 14
NOTE = ("Programme analysé par achatsdesk, ligne par ligne, avec le même moteur de règles que les dossiers "
        "(procédure, obligations à la date de lancement de chaque ligne), le levier selon l'offre inclusive du "
        "catalogue local et les heures d'insertion au taux et au coût horaire par défaut. Les signalements « besoin "
        "homogène » sont à vérifier : ils repèrent des lignes d'une même famille CPV dont la somme franchit un seuil.")


def write_programme(result: dict, destination: str | os.PathLike[str]) -> Path:
    workbook = build_programme(result)
    return write_atomically(destination, lambda temp: workbook.save(str(temp)))


def sheet_name(service: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", service).strip()[:28] or "Sans service"
    name, number = base, 2
    while name.casefold() in taken or name.casefold() == SUMMARY_TITLE.casefold():
        name, number = f"{base[:26]} {number}", number + 1
    taken.add(name.casefold())
    return name


def _print_ready(sheet, repeat_header: bool = True) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the lines need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if repeat_header:
        sheet.print_title_rows = "1:1"


def _line_row(line: dict) -> list:
    if line["error"]:
        return [line["line"], line["title"]] + [None] * (len(LINE_COLUMNS) - 3) + [line["error"]]
    mandatory = [o for o in line["obligations"] if o["status"] == "obligatoire"]
    lever = line["lever_detail"]
    launch = line["launch_text"] or "/".join(reversed(line["launch_date"].split("-")))
    return [
        line["line"], line["title"], line["cpv"] or "", line["nature"], float(line["amount_eur"]), launch,
        line["place"] or (line["place_insee"] or ""),
        PROCEDURE_LABELS.get(line["procedure"]["id"], line["procedure"]["id"]),
        len(mandatory), " ; ".join(o["title"] for o in mandatory),
        LEVER_LABELS[Lever(line["lever"])] if line["lever"] else "",
        lever["supplier_count"] if lever else None,
        lever["unknown_sector_count"] if lever else None,
        line["hours"],
        " ; ".join(f["label"] + (f" (avec les lignes {', '.join(map(str, f['lines']))})" if f["lines"] else "")
                   for f in line["flags"]),
        None,
    ]


def _service_sheet(workbook: Workbook, name: str, lines: list[dict]) -> None:
    sheet = workbook.create_sheet(name)
    sheet.append([title for title, _ in LINE_COLUMNS])
    for judged in lines:
        sheet.append(_line_row(judged))
    style_header_row(sheet)
    for index, (_, width) in enumerate(LINE_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        row[AMOUNT_COLUMN - 1].number_format = MONEY
    sheet.row_dimensions[1].height = 45
    sheet.auto_filter.ref = sheet.dimensions
    _print_ready(sheet)


def build_programme(result: dict) -> Workbook:
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_TITLE
    totals = result["totals"]
    by_service: dict[str, list[dict]] = {}
    for line in result["lines"]:
        by_service.setdefault(line["service"] or "Sans service", []).append(line)

    def share(key: str):
        return totals[key]

    summary.append(["Indicateur", "Valeur", "Part du montant"])
    rows = [
        ("Lignes du programme", totals["lines"], None),
        ("Lignes analysées", totals["judged"], None),
        ("Lignes illisibles (motif dans la feuille du service)", totals["errors"], None),
        ("Montant estimé des lignes analysées (€ HT)", float(totals["amount_eur"]), None),
        ("Lignes avec une condition sociale ou environnementale obligatoire", totals["condition_mandatory"],
         share("condition_amount_share")),
        ("Lignes avec une condition sociale d'exécution obligatoire", totals["social_mandatory"],
         share("social_amount_share")),
        ("Lignes avec une condition environnementale d'exécution obligatoire", totals["environmental_mandatory"],
         share("environmental_amount_share")),
        ("Heures d'insertion potentielles", totals["potential_hours"], None),
        ("Lignes où une réservation est possible (marché ou lot)", totals["reservation_possible"], None),
        ("Lignes signalées « besoin homogène possible » (à vérifier)", totals["homogeneous_flagged"], None),
    ]
    for label, value, ratio in rows:
        summary.append([label, value, ratio])
    summary.append([])
    summary.append(["Lignes par levier conseillé", "Lignes", None])
    lever_header = summary.max_row
    for lever in Lever:
        summary.append([LEVER_LABELS[lever], totals["by_lever"].get(lever.value, 0), None])
    summary.append([])
    summary.append(["Service", "Lignes analysées", "Montant estimé (€ HT)", "Heures d'insertion potentielles"])
    service_header = summary.max_row
    for service in totals["by_service"]:
        summary.append([service["service"], service["lines"], float(service["amount_eur"]), service["hours"]])
    summary.append([])
    summary.append([NOTE])
    note_row = summary.max_row
    summary.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=4)
    summary.cell(note_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    summary.row_dimensions[note_row].height = 75
    summary.cell(note_row + 1, 1, f"Source : {result['source']}" + (f" — programme {result['year']}" if result["year"] else ""))

    style_header_row(summary)
    bold = Font(bold=True)
    for header_row in (lever_header, service_header):
        for cell in summary[header_row]:
            cell.font = bold
    summary["B5"].number_format = MONEY
    for row in range(2, 2 + len(rows)):
        summary.cell(row, 3).number_format = SHARE
    for row in range(service_header + 1, service_header + 1 + len(totals["by_service"])):
        summary.cell(row, 3).number_format = MONEY
    for column, width in zip("ABCD", (62, 18, 20, 18), strict=True):
        summary.column_dimensions[column].width = width
    _print_ready(summary, repeat_header=False)

    taken: set[str] = set()
    for service in sorted(by_service, key=str.casefold):
        _service_sheet(workbook, sheet_name(service, taken), by_service[service])
    return workbook
