"""Correct a supplier's sectors: the derived ones are a guess from the NAF code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.services.catalogue import SectorInfo, SupplierDetail


class SectorsDialog(QDialog):
    def __init__(self, detail: SupplierDetail, sectors: list[SectorInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Secteurs de la structure")
        self.setAccessibleName("Corriger les secteurs")
        self.resize(480, 560)
        layout = QVBoxLayout(self)
        note = QLabel(f"<b>{detail.name}</b><br>Cochez les secteurs où cette structure travaille. "
                      "Votre choix remplace les secteurs déduits du code NAF et sera conservé lors des prochains imports.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName("Secteurs")
        current = {sector_id for sector_id, _, _ in detail.sectors}
        for info in sectors:
            item = QListWidgetItem(f"{info.group_name} › {info.name}")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if info.id in current else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
