"""The selected supplier in full: every field, its source and date, copy the SIRET, add to a list."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from achatsdesk.domain.formatting import format_number
from achatsdesk.services.catalogue import SupplierDetail
from achatsdesk.services.supplier_kinds import KIND_LABELS

_PRECISION = {
    "address": "à l'adresse",
    "commune": "au centre de la commune (adresse non géolocalisée)",
    "none": "inconnue",
}


class SupplierDetailPane(QWidget):
    add_to_shortlist_requested = Signal(int)  # supplier id
    edit_sectors_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Fiche de la structure")
        self._detail: SupplierDetail | None = None
        self.database = None  # set by the page: the contracts won (imported DECP files) are shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.body = QTextBrowser()
        self.body.setOpenExternalLinks(False)
        self.body.setAccessibleName("Détails de la structure sélectionnée")
        layout.addWidget(self.body, 1)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Copier le SIRET")
        self.copy_button.setAccessibleName("Copier le SIRET")
        self.copy_button.clicked.connect(self.copy_siret)
        self.shortlist_button = QPushButton("Ajouter à une liste…")
        self.shortlist_button.setAccessibleName("Ajouter la structure à une liste de présélection")
        self.shortlist_button.clicked.connect(lambda: self._detail and self.add_to_shortlist_requested.emit(self._detail.id))
        self.sectors_button = QPushButton("Corriger les secteurs…")
        self.sectors_button.setAccessibleName("Corriger les secteurs de la structure")
        self.sectors_button.clicked.connect(lambda: self._detail and self.edit_sectors_requested.emit(self._detail.id))
        for button in (self.copy_button, self.shortlist_button, self.sectors_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.feedback = QLabel("")
        self.feedback.setAccessibleName("Message")
        layout.addWidget(self.feedback)
        self.show_detail(None)

    def detail(self) -> SupplierDetail | None:
        return self._detail

    def set_target(self, list_name: str | None) -> None:
        """With a target list (chosen from a dossier), the button adds to it at once."""
        if list_name:
            self.shortlist_button.setText(f"Ajouter à la liste « {list_name} »")
            self.shortlist_button.setAccessibleName(f"Ajouter la structure à la liste « {list_name} »")
        else:
            self.shortlist_button.setText("Ajouter à une liste…")
            self.shortlist_button.setAccessibleName("Ajouter la structure à une liste de présélection")

    def show_detail(self, detail: SupplierDetail | None) -> None:
        self._detail = detail
        self.feedback.setText("")
        for button in (self.copy_button, self.shortlist_button, self.sectors_button):
            button.setEnabled(detail is not None)
        self.copy_button.setEnabled(bool(detail and detail.siret))
        if detail is None:
            self.body.setHtml("<p>Sélectionnez une structure pour voir sa fiche.</p>")
            return
        won = ""
        if self.database is not None:
            from achatsdesk.ui.catalogue.contracts_won import contracts_won_html

            won = contracts_won_html(self.database, detail.siret)
        self.body.setHtml(self.render(detail) + won)

    @staticmethod
    def render(d: SupplierDetail) -> str:
        def row(label: str, value: object) -> str:
            text = "—" if value in (None, "") else escape(str(value))
            return f"<tr><td style='color:#555;padding-right:8px'>{escape(label)}</td><td>{text}</td></tr>"

        siret = d.siret or "inconnu"
        if d.siret and not d.siret_valid:
            siret += " (numéro invalide : à vérifier)"
        sectors = ", ".join(f"{n}{' (déduit du NAF)' if o == 'derived' else ''}" for _, n, o in d.sectors) or "aucun"
        rows = [
            row("SIRET", siret),
            row("Type", f"{d.kind} — {KIND_LABELS.get(d.kind, '')}"),
            row("Enseigne", d.brand),
            row("Forme juridique", d.legal_form),
            row("Code NAF", f"{d.naf} {d.naf_label or ''}".strip() if d.naf else None),
            row("Adresse", d.address),
            row("Commune", f"{d.postcode or ''} {d.commune or ''} (INSEE {d.insee or '?'})".strip()),
            row("Département", d.departement),
            row("Position", _PRECISION.get(d.geo_precision, d.geo_precision)),
            row("Capacité", f"{format_number(d.capacity)} places" if d.capacity else None),
            row("Site web", d.website),
            row("Secteurs", sectors),
            row("Listes", ", ".join(d.shortlists) or None),
            row("Source", f"{d.source} — données de {d.source_date}"),
        ]
        return f"<h3>{escape(d.name)}</h3><table>{''.join(rows)}</table>"

    def copy_siret(self) -> None:
        if self._detail and self._detail.siret:
            QGuiApplication.clipboard().setText(self._detail.siret)
            self.feedback.setText(f"SIRET {self._detail.siret} copié.")
