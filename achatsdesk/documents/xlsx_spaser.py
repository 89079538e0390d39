"""The SPASER realised figures as a spreadsheet: the totals per year and service, and
one traceable row per awarded contract (dossier number or DECP file)."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.documents.xlsx_style import style_header_row
from achatsdesk.domain.spaser import ContractLine, SpaserLine

SUMMARY_COLUMNS = (
    "Année de notification", "Service", "Marchés attribués", "Montant attribué (€ HT)",
    "Avec considération sociale", "Part du montant (sociale)", "Avec considération environnementale",
    "Part du montant (environnementale)", "Heures d'insertion prévues", "Heures d'insertion réalisées",
    "Bénéficiaires", "Attribués à une structure inclusive", "Montant attribué aux structures inclusives (€ HT)",
    "Marchés réservés",
)
CONTRACT_COLUMNS = (
    "Source", "Identifiant", "Année", "Service", "Objet", "Lot", "SIRET du titulaire", "Type de structure",
    "Montant (€ HT)", "Date de notification", "Procédure", "Considérations sociales",
    "Considérations environnementales", "Heures prévues", "Heures réalisées", "Bénéficiaires",
)
MONEY = '#,##0.00 "€"'
SHARE = "0.0 %"
NOTE = ("Marchés attribués : les lots attribués des dossiers préparés dans achatsdesk (attribution, relevés "
        "d'exécution) et les marchés importés d'un fichier DECP. Une considération sociale ou environnementale "
        "vient des clauses choisies, lues comme dans l'avis (eForms BT-06), ou du fichier DECP. "
        "Une ligne par marché dans l'onglet « Marchés », avec sa source.")


def write_spaser(summary: list[SpaserLine], contracts: list[ContractLine], destination: str | os.PathLike[str]) -> Path:
    workbook = build_spaser(summary, contracts)
    return write_atomically(destination, lambda temp: workbook.save(str(temp)))


def build_spaser(summary: list[SpaserLine], contracts: list[ContractLine]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "SPASER"
    sheet.append(list(SUMMARY_COLUMNS))
    for line in summary:
        sheet.append([
            line.year, line.service, line.contracts, float(line.amount_eur),
            line.social, _share(line, line.social_amount_eur), line.environmental,
            _share(line, line.environmental_amount_eur), float(line.hours_planned), float(line.hours_realised),
            line.beneficiaries, line.inclusive_awards, float(line.inclusive_amount_eur), line.reserved,
        ])
    _format(sheet, len(SUMMARY_COLUMNS), money=(4, 13), shares=(6, 8))
    rows = workbook.create_sheet("Marchés")
    rows.append(list(CONTRACT_COLUMNS))
    for c in sorted(contracts, key=lambda c: (c.year, c.service, c.source, c.contract_id, c.lot)):
        rows.append([
            c.source, c.contract_id, c.year, c.service, c.title, c.lot, c.holder_siret, c.holder_kind or "",
            float(c.amount_eur), c.notified_on, c.procedure, ", ".join(c.considerations.social_or_none),
            ", ".join(c.considerations.environmental_or_none), float(c.hours_planned), float(c.hours_realised),
            c.beneficiaries,
        ])
    _format(rows, len(CONTRACT_COLUMNS), money=(9,), shares=())
    for cell in rows["J"][1:]:
        cell.number_format = "DD/MM/YYYY"
    notes = workbook.create_sheet("À lire")
    notes["A1"] = NOTE
    notes["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 100
    notes.row_dimensions[1].height = 75
    return workbook


def _format(sheet, count: int, money: tuple[int, ...], shares: tuple[int, ...]) -> None:
    style_header_row(sheet)
    for column, number_format in [(c, MONEY) for c in money] + [(c, SHARE) for c in shares]:
        for cell in sheet[get_column_letter(column)][1:]:
            cell.number_format = number_format
    for index in range(1, count + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.row_dimensions[1].height = 45


def _share(line: SpaserLine, amount) -> float | None:
    share = line.share(amount)
    return float(share) if share is not None else None
