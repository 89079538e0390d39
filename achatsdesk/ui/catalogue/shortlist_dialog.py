"""Add a supplier to a named shortlist: pick one, or type the name of a new one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.ui import operations
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.operations import Changes


class ShortlistDialog(QDialog):
    def __init__(self, context: ShellContext, supplier_id: int, supplier_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        database = context.database
        self.database, self.supplier_id = database, supplier_id
        self.setWindowTitle("Ajouter à une liste")
        self.setAccessibleName("Ajouter à une liste de présélection")
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{supplier_name}</b>"))
        self.existing = QComboBox()
        self.existing.setAccessibleName("Liste existante")
        self.existing.addItem("(nouvelle liste)", None)
        for info in shortlists.list_shortlists(database):
            self.existing.addItem(f"{info.name} ({info.size})", info.id)
        form.addRow("Liste", self.existing)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("Nom de la nouvelle liste")
        self.new_name.setPlaceholderText("ex. : Nettoyage collèges 2027")
        form.addRow("Nouvelle liste", self.new_name)
        self.existing.currentIndexChanged.connect(lambda _i: self.new_name.setEnabled(self.existing.currentData() is None))
        if self.existing.count() > 1:
            self.existing.setCurrentIndex(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ajouter")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.added_to: int | None = None

    def save(self) -> None:
        chosen, new_name = self.existing.currentData(), self.new_name.text()

        def add() -> int:
            list_id = chosen if chosen is not None else shortlists.create_shortlist(self.database, new_name)
            shortlists.add_to_shortlist(self.database, list_id, self.supplier_id)
            return list_id

        list_id = operations.run(self.context, self, add, changes=lambda added_to: Changes(shortlist=added_to))
        if list_id is None:
            return
        self.added_to = list_id
        self.accept()
