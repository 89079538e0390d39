"""One clause: its metadata (legal basis, dates, document, "à vérifier" notes), a form
for its variables and the live preview of its wording."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.eforms import FIELD_LABELS, code_label
from achatsdesk.domain.formatting import format_date_short
from achatsdesk.ui.clauses.preview import ClausePreview
from achatsdesk.ui.clauses.variable_form import VariableForm

OBLIGATION_LABELS = {
    "procedure": "procédure",
    "env-execution-condition": "condition d'exécution environnementale",
    "env-award-criterion": "critère environnemental",
    "social-execution-condition": "condition d'exécution sociale",
    "insertion-clause": "clause d'insertion",
    "reserved-contract": "marché réservé",
    "agec-reuse-recycled": "AGEC réemploi et recyclé",
    "egalim": "EGalim",
    "spaser": "SPASER",
    "labels": "labels",
    "lots": "allotissement",
}


def eforms_text(tags: dict) -> str:
    """ "Achat stratégique : Objectif social (code soc-obj, champ BT-06)": the French meaning first,
    the notice's code after it for whoever fills the notice; "none" is only said in words."""
    parts = []
    for field_id, field_label in FIELD_LABELS.items():
        codes = tags.get(field_id) or []
        codes = [codes] if isinstance(codes, str) else codes
        meanings = [code_label(field_id, c) + ("" if c == "none" else f" (code {c})") for c in codes]
        if meanings:
            parts.append(f"{field_label} : {', '.join(meanings)} — champ {field_id}")
    return " · ".join(parts) or "—"


def metadata_html(clause: ClauseTemplate) -> str:
    rows = [
        ("Famille", clause.family_label),
        ("Nature", clause.kind_label),
        ("Document", clause.document),
        ("Base légale", clause.legal_basis),
        ("Applicable à compter du", format_date_short(clause.applies_from) if clause.applies_from else "—"),
        ("Secteur", clause.sector_label or "tous secteurs"),
        ("Répond à", ", ".join(OBLIGATION_LABELS.get(o, o) for o in clause.obligations) or "—"),
        ("Version", f"{clause.version} ({'clause livrée, en lecture seule' if clause.read_only else 'votre clause'})"),
        ("Avis (eForms)", eforms_text(clause.eforms)),
    ]
    html = f"<h3>{escape(clause.title)}</h3><table>"
    html += "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows)
    html += "</table>"
    for note in clause.to_confirm:
        html += f"<p style='color:#8a4b00'>⚠ {escape(note)}</p>"  # each note ends with "à vérifier"
    if clause.editor_note:  # advice to the buyer: shown here, never printed in a document
        html += f"<p style='color:#1f3864'><b>Note pour l'acheteur :</b> {escape(clause.editor_note)}</p>"
    return html


class ClauseView(QWidget):
    values_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clause: ClauseTemplate | None = None
        self.meta = QLabel("Choisissez une clause dans la liste.")
        self.meta.setWordWrap(True)
        self.meta.setAccessibleName("Informations sur la clause")
        self.form = VariableForm()
        self.preview = ClausePreview()
        variables = QGroupBox("Variables")
        QVBoxLayout(variables).addWidget(self.form)
        wording = QGroupBox("Aperçu de la rédaction")
        QVBoxLayout(wording).addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.meta)
        layout.addWidget(variables)
        layout.addWidget(wording, 1)
        self.form.values_changed.connect(self._on_values)

    def show_clause(self, clause: ClauseTemplate | None, values: dict[str, Any] | None = None) -> None:
        self.clause = clause
        self.meta.setText(metadata_html(clause) if clause else "Choisissez une clause dans la liste.")
        self.form.show_clause(clause, values)
        self.preview.show_clause(clause, self.form.values() if clause else None)

    def _on_values(self, values: dict) -> None:
        self.preview.show_clause(self.clause, values)
        self.values_changed.emit(values)
