"""Before an export: the core consistency check (services/dossier_figures.py) listed,
with "Exporter quand même", "Aller à l'élément" or "Annuler"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

EXPORT, GO_TO, CANCEL = "export", "go-to", "cancel"
_WARNING_ROLE = Qt.ItemDataRole.UserRole


class ExportCheckDialog(QDialog):
    def __init__(self, warnings: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vérifications avant l'export")
        self.setAccessibleName("Vérifications avant l'export")
        self.resize(720, 420)
        self.choice = CANCEL
        count = len(warnings)
        intro = QLabel(f"<b>{count} point{'s' if count > 1 else ''} à vérifier</b> avant d'envoyer ce document. "
                       "Vous pouvez exporter quand même, ou aller à l'élément concerné pour le corriger.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Points à vérifier")
        self.list.setWordWrap(True)
        for warning in warnings:
            item = QListWidgetItem(warning.message)
            item.setData(_WARNING_ROLE, warning)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.export_button = QPushButton("Exporter quand même")
        self.go_button = QPushButton("Aller à l'élément")
        cancel = QPushButton("Annuler")
        for button in (self.export_button, self.go_button, cancel):
            button.setAccessibleName(button.text())
        buttons = QHBoxLayout()
        buttons.addWidget(self.go_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.export_button.clicked.connect(lambda: self._finish(EXPORT))
        self.go_button.clicked.connect(lambda: self._finish(GO_TO))
        self.list.itemActivated.connect(lambda _item: self._finish(GO_TO))
        cancel.clicked.connect(self.reject)
        self.export_button.setDefault(True)

    def selected(self):
        item = self.list.currentItem()
        return item.data(_WARNING_ROLE) if item is not None else None

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def review_warnings(parent: QWidget, warnings: list) -> tuple[str, object]:
    """Show the check; (EXPORT | GO_TO | CANCEL, the selected warning). Tests stand in for it."""
    dialog = ExportCheckDialog(warnings, parent)
    dialog.exec()
    return dialog.choice, dialog.selected()
