"""The Corbeille: the dossiers deleted in the last 30 days, to restore or delete for good."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier_status import STATUS_LABELS, DossierStatus
from achatsdesk.domain.formatting import format_date_short
from achatsdesk.services import trash
from achatsdesk.ui.context import ShellContext

_ID_ROLE = Qt.ItemDataRole.UserRole


class TrashDialog(QDialog):
    restored = Signal(int)  # dossier id

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = context.database
        self.setWindowTitle("Corbeille des dossiers")
        self.resize(640, 400)
        intro = QLabel(f"Les dossiers supprimés restent ici {trash.KEEP_DAYS} jours, puis sont effacés définitivement.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Dossiers dans la corbeille")
        self.restore_button = QPushButton("Restaurer")
        self.restore_button.setAccessibleName("Restaurer le dossier sélectionné")
        self.purge_button = QPushButton("Supprimer définitivement…")
        self.purge_button.setAccessibleName("Supprimer définitivement le dossier sélectionné")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.purge_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.purge_selected)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for entry in trash.list_trash(self._database):
            item = QListWidgetItem(
                f"{entry.title} · {STATUS_LABELS[DossierStatus(entry.status)]} · supprimé le "
                f"{format_date_short(entry.deleted_at.date())}, effacé le {format_date_short(entry.purge_on.date())}")
            item.setData(_ID_ROLE, entry.id)
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem(QListWidgetItem("La corbeille est vide."))
        self.list.setCurrentRow(0)

    def _selected(self) -> int | None:
        item = self.list.currentItem()
        return item.data(_ID_ROLE) if item is not None else None

    def restore_selected(self) -> None:
        dossier_id = self._selected()
        if dossier_id is None:
            return
        trash.restore(self._database, dossier_id)
        self.restored.emit(dossier_id)
        self.refresh()

    def confirm_purge(self, title: str) -> bool:
        """Ask before deleting for good (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Supprimer définitivement",
                          f"Supprimer définitivement le dossier « {title} » ? Il ne pourra plus être restauré.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Oui, supprimer")
        box.button(QMessageBox.StandardButton.No).setText("Non")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def purge_selected(self) -> None:
        dossier_id = self._selected()
        item = self.list.currentItem()
        if dossier_id is None or not self.confirm_purge(item.text().split(" · ")[0]):
            return
        trash.delete_for_good(self._database, dossier_id)
        self.refresh()
