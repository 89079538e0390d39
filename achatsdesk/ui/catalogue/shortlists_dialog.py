"""Listes de fournisseurs: see each shortlist's suppliers, rename a list, export it to XLSX, delete it.

The questions put to the buyer (new name, confirmation, destination file) are
module functions so that tests can answer them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_number
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.ui import operations
from achatsdesk.ui.catalogue.shortlist_model import ShortlistEntriesModel
from achatsdesk.ui.operations import Changes
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets import file_dialogs
from achatsdesk.ui.widgets.remembered import remember_splitter


# --- the questions, as functions so that tests can stand in for the user -------------
def ask_new_name(parent: QWidget, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, "Renommer la liste", "Nouveau nom de la liste :", text=current)
    return name if ok else None


def confirm_delete(parent: QWidget, name: str, size: int, dossiers: list[str]) -> bool:
    text = f"Supprimer la liste « {name} » ({format_number(size)} structures) ? Les structures restent dans le catalogue."
    if dossiers:
        text += "\n\nCette liste est utilisée par : " + ", ".join(f"« {t} »" for t in dossiers) + \
                ". Ces dossiers n'auront plus de fournisseurs présélectionnés."
    answer = QMessageBox.question(parent, "Supprimer la liste", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def choose_destination(parent: QWidget, start: str) -> str:
    return file_dialogs.save_file_name(parent, "Exporter la liste (XLSX)", start, "Classeur Excel (*.xlsx)")


class ShortlistsDialog(QDialog):
    lists_changed = Signal(int)  # a list renamed or deleted (its id)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.database = context.database
        self.last_export: Path | None = None
        self.setWindowTitle("Listes de fournisseurs")
        self.setAccessibleName("Listes de fournisseurs")
        self.resize(820, 460)
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lists = QListWidget()
        self.lists.setAccessibleName("Vos listes de présélection")
        self.lists.currentItemChanged.connect(lambda *_: self._show_current())
        self.entries_model = ShortlistEntriesModel(self)
        self.entries = QTableView()
        self.entries.setModel(self.entries_model)
        self.entries.setAccessibleName("Structures de la liste")
        self.entries.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entries.verticalHeader().setVisible(False)
        self.entries.horizontalHeader().setStretchLastSection(True)
        self.entries.setColumnWidth(0, 240)
        self.entries.setColumnHidden(3, True)  # no place here, so no distance (a dossier's box shows it)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.entries)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([220, 600])
        remember_splitter(splitter, context.settings, Settings.shortlists_splitter)
        layout.addWidget(splitter, 1)
        self.empty = QLabel("Vous n'avez encore aucune liste. Dans le catalogue, choisissez une structure puis "
                            "« Ajouter à une liste… ».")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.message = QLabel()
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.rename_button = self._button("Renommer…", "Renommer la liste", self.rename_current)
        self.export_button = self._button("Exporter en XLSX…", "Exporter la liste en classeur Excel", self.export_current)
        self.delete_button = self._button("Supprimer…", "Supprimer la liste", self.delete_current)
        for button in (self.rename_button, self.export_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    def _button(self, text: str, accessible: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        return button

    # --- showing --------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else self.current_id()
        self.lists.blockSignals(True)
        self.lists.clear()
        for info in shortlists.list_shortlists(self.database):
            item = QListWidgetItem(f"{info.name} ({format_number(info.size)})")
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            self.lists.addItem(item)
            if info.id == keep:
                self.lists.setCurrentItem(item)
        if self.lists.currentItem() is None and self.lists.count():
            self.lists.setCurrentRow(0)
        self.lists.blockSignals(False)
        self.empty.setVisible(self.lists.count() == 0)
        self._show_current()

    def current_id(self) -> int | None:
        item = self.lists.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, shortlist_id: int) -> None:
        for row in range(self.lists.count()):
            if self.lists.item(row).data(Qt.ItemDataRole.UserRole) == shortlist_id:
                self.lists.setCurrentRow(row)
                return

    def _show_current(self) -> None:
        list_id = self.current_id()
        self.entries_model.set_rows(shortlists.shortlist_entries(self.database, list_id) if list_id is not None else [])
        for button in (self.rename_button, self.export_button, self.delete_button):
            button.setEnabled(list_id is not None)

    # --- actions --------------------------------------------------------------------
    def rename_current(self) -> None:
        info = self._current_info()
        if info is None:
            return
        name = ask_new_name(self, info.name)
        if name is None or name.strip() == info.name:
            return
        operations.run(self.context, self, lambda: shortlists.rename_shortlist(self.database, info.id, name),
                       success=lambda _: self._changed(info.id, select=info.id), changes=Changes(shortlist=info.id))

    def _changed(self, list_id: int, select: int | None = None) -> None:
        self.reload(select=select)
        self.lists_changed.emit(list_id)

    def delete_current(self) -> None:
        info = self._current_info()
        if info is None:
            return
        if not confirm_delete(self, info.name, info.size, shortlists.dossiers_using(self.database, info.id)):
            return
        operations.run(self.context, self, lambda: shortlists.delete_shortlist(self.database, info.id),
                       success=lambda _: self._changed(info.id), changes=Changes(shortlist=info.id))

    def export_current(self) -> None:
        info = self._current_info()
        if info is None:
            return
        from achatsdesk.ui.dossier.export_extension import safe_file_name

        folder = file_dialogs.start_folder(self.context.settings)
        chosen = choose_destination(self, str(folder / safe_file_name(info.name, "fournisseurs", ".xlsx")))
        if not chosen:
            return
        target = file_dialogs.with_suffix(chosen, ".xlsx")

        def written(path: Path) -> None:
            self.last_export = path
            file_dialogs.remember_folder(self.context.settings, target)
            self.message.setText(f"Liste enregistrée : {self.last_export}")

        # A list holds tens of suppliers: written in well under a second, no background task needed.
        operations.run(self.context, self, lambda: shortlists.export_shortlist_xlsx(self.database, info.id, target),
                       success=written)

    def _current_info(self) -> shortlists.ShortlistInfo | None:
        list_id = self.current_id()
        return shortlists.find_shortlist(self.database, list_id) if list_id is not None else None
