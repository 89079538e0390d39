"""The column-mapping step of a facilitator's report, as the catalogue's import assistant
has one: the first rows of the file, and for each field the column that holds it
(pre-chosen from the headers). Shown only when the headers alone do not say."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.services.execution_report import FIELDS, ReportPreview

NONE = "— aucune —"


def mapping_is_complete(mapping: dict[str, str]) -> bool:
    return {"period", "hours"} <= set(mapping) and bool({"siret", "reference"} & set(mapping))


class ReportMappingDialog(QDialog):
    def __init__(self, preview: ReportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Colonnes du relevé")
        self.setAccessibleName("Choix des colonnes du relevé du facilitateur")
        layout = QVBoxLayout(self)
        note = QLabel(f"Fichier lu ({preview.description}). Indiquez la colonne de chaque information : "
                      "la période (2027-T1), les heures, et le SIRET du titulaire ou la référence du marché.")
        note.setWordWrap(True)
        layout.addWidget(note)
        table = QTableWidget(len(preview.rows), len(preview.headers))
        table.setHorizontalHeaderLabels(preview.headers)
        table.setAccessibleName("Premières lignes du relevé")
        for row, cells in enumerate(preview.rows):
            for column, text in enumerate(cells[: len(preview.headers)]):
                table.setItem(row, column, QTableWidgetItem(text))
        layout.addWidget(table)
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for name, label in FIELDS.items():
            box = QComboBox()
            box.setAccessibleName(label)
            box.addItem(NONE, "")
            for header in preview.headers:
                box.addItem(header, header)
            box.setCurrentIndex(max(0, box.findData(preview.mapping.get(name, ""))))
            self.choices[name] = box
            form.addRow(label, box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Importer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        return {name: box.currentData() for name, box in self.choices.items() if box.currentData()}


def choose_mapping(parent: QWidget, preview: ReportPreview) -> dict[str, str] | None:
    """The buyer's mapping, or None when the dialog is cancelled (tests stand in for the buyer)."""
    dialog = ReportMappingDialog(preview, parent)
    return dialog.mapping() if dialog.exec() == QDialog.DialogCode.Accepted else None
