"""The detail of one programme line, explained like the dossier's obligations panel: the procedure
and why, each obligation with its status, explanation, legal basis and dates, the lever and the
local supply behind it, the hours with their formula, and the flags."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from achatsdesk.domain.formatting import format_money, format_number
from achatsdesk.domain.obligations import STATUS_LABELS, ObligationStatus
from achatsdesk.domain.plural import count_of
from achatsdesk.domain.thresholds import PROCEDURE_LABELS
from achatsdesk.ui.dossier.obligations_panel import rich_text
from achatsdesk.ui.programme.table_model import lever_label


def line_html(line: dict[str, Any], check: dict[str, Any] | None) -> str:
    """``check`` is the full ``check_dossier`` document of the line (explanations included)."""
    title = html.escape(line["title"])
    if line["error"]:
        return (f"<h3>Ligne {line['line']} : {title}</h3><p><b>Ligne illisible.</b> {rich_text(line['error'])}</p>"
                "<p>Corrigez la cellule dans le tableur puis rouvrez le programme : les autres lignes sont analysées.</p>")
    parts = [f"<h3>Ligne {line['line']} : {title}</h3>",
             f"<p>{html.escape(line['service'] or 'Sans service')} · {rich_text(format_money(line['amount_eur']))} · "
             f"CPV {html.escape(line['cpv'] or 'non renseigné')} {html.escape(line['cpv_label'])} · "
             f"{html.escape(line['place'] or 'lieu non renseigné')}</p>"]
    procedure = check["procedure"] if check else line["procedure"]
    parts.append(f"<h4>Procédure : {html.escape(PROCEDURE_LABELS.get(procedure['id'], procedure['id']))}</h4>")
    if check:
        parts.append(f"<p>{rich_text(procedure['explanation'])}</p>")
    mandatory = sum(1 for o in line["obligations"] if o["status"] == "obligatoire")
    parts.append(f"<h4>Obligations ({count_of(mandatory, 'obligatoire')})</h4><ul>")
    for obligation in (check["obligations"] if check else line["obligations"]):
        status = STATUS_LABELS[ObligationStatus(obligation["status"])]
        mark = " <i>(à vérifier)</i>" if obligation.get("to_confirm") else ""
        parts.append(f"<li><b>[{status}] {html.escape(obligation['title'])}</b>{mark}")
        if "explanation" in obligation:
            parts.append(f"<br>{rich_text(obligation['explanation'])}<br><small>{html.escape(obligation['legal_basis'])}"
                         + (f" · depuis le {obligation['applies_from']}" if obligation.get("applies_from") else "")
                         + "</small>")
        parts.append("</li>")
    parts.append("</ul>")
    lever = line["lever_detail"]
    if lever:
        parts.append(f"<h4>Levier conseillé : {html.escape(lever_label(line['lever']))}</h4><ul>")
        parts += [f"<li>{rich_text(reason)}</li>" for reason in lever["reasons"]]
        if lever["area"]:
            parts.append(f"<li>Zone : {html.escape(lever['area'])} ; "
                         f"{count_of(lever['supplier_count'], 'structure inclusive', 'structures inclusives')} "
                         "du secteur.</li>")
        for supplier in lever.get("suppliers") or []:
            distance = f", {format_number(supplier['distance_km'], 1)}\u00a0km" if supplier["distance_km"] is not None else ""
            parts.append(f"<li>{html.escape(supplier['name'])} ({html.escape(supplier['kind'])}, "
                         f"{html.escape(supplier['commune'] or '')}{distance})</li>")
        if lever["unknown_sector_count"] is not None:
            parts.append(f"<li>{count_of(lever['unknown_sector_count'], 'structure inclusive', 'structures inclusives')} "
                         "de la zone "
                         "sans secteur connu : à regarder dans le catalogue.</li>")
        parts.append("</ul>")
    parts.append(f"<h4>Heures d'insertion potentielles : {format_number(line['hours'])} h</h4><ul>")
    for sizing in line["sizing"]:
        note = " (part de main-d'œuvre à vérifier)" if sizing["labour_share_to_confirm"] else ""
        parts.append(f"<li>{html.escape(sizing['label'])} : {rich_text(sizing['formula'])}{note}</li>")
    parts.append("</ul>")
    if line["flags"]:
        parts.append("<h4>Signalements</h4><ul>")
        for flag in line["flags"]:
            mark = " <i>(à vérifier)</i>" if flag["to_confirm"] else ""
            parts.append(f"<li><b>{html.escape(flag['label'])}</b>{mark} : {rich_text(flag['explanation'])}"
                         f"<br><small>{html.escape(flag['legal_basis'])}</small></li>")
        parts.append("</ul>")
    for warning in line["warnings"]:
        parts.append(f"<p><i>{rich_text(warning)}</i></p>")
    return "".join(parts)


class LineDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Détail de la ligne du programme")
        self.setOpenExternalLinks(False)
        self.shown_line: int | None = None
        self.setHtml("<p>Choisissez une ligne du programme pour voir son analyse.</p>")

    def show_line(self, line: dict[str, Any], check: dict[str, Any] | None) -> None:
        self.shown_line = line["line"]
        self.setHtml(line_html(line, check))
