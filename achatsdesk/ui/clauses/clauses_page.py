"""Bibliothèque de clauses: search and filters (family, document, kind, sector), the
list, and the selected clause with its metadata, a form for its variables and the
live preview of its wording. Shipped clauses are read-only; "Copier pour modifier"
makes the buyer's own editable copy. Packs share the buyer's clauses offline.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.clauses import DOCUMENTS, FAMILY_LABELS, KIND_LABELS
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.domain.text import fold
from achatsdesk.services.clause_library import (
    ClauseFilter,
    ClauseLibrary,
    blank_user_clause,
    copy_clause,
    load_library,
    save_user_clause,
)
from achatsdesk.ui import operations
from achatsdesk.ui.clauses.clause_view import ClauseView
from achatsdesk.ui.clauses.edit_dialog import ClauseEditDialog
from achatsdesk.ui.clauses.list_model import ClauseListModel
from achatsdesk.ui.page import Page
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets import file_dialogs
from achatsdesk.ui.widgets.remembered import remember_splitter
from achatsdesk.ui.widgets.row_table import row_table

ALL = "__all__"
GENERAL = "__general__"


def choose_pack_to_import(parent: QWidget, start: str) -> str:
    return file_dialogs.open_file_name(parent, "Importer un paquet de clauses", start, "Paquet de clauses (*.zip)")


def choose_pack_destination(parent: QWidget, start: str) -> str:
    return file_dialogs.save_file_name(parent, "Exporter vos clauses", start, "Paquet de clauses (*.zip)")


class ClausesPage(Page):
    def __init__(self, context, parent=None) -> None:
        super().__init__(context, parent)
        self.setAccessibleName("Bibliothèque de clauses")
        self.library: ClauseLibrary = load_library(context.database)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Chercher : insertion, écolabel, L2152-7…")
        self.search.setAccessibleName("Chercher une clause")
        self.search.setClearButtonEnabled(True)
        self.family = self._combo("Famille", [(k, v) for k, v in FAMILY_LABELS.items()])
        self.document = self._combo("Document", [(d, d) for d in DOCUMENTS])
        self.kind = self._combo("Nature", [(k, v) for k, v in KIND_LABELS.items()])
        self.sector = self._combo("Secteur", [])
        self._fill_sectors()
        self.count = QLabel()
        self.count.setAccessibleName("Nombre de clauses")

        self.model = ClauseListModel(self)
        self.table = row_table(self.model, "Clauses")
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self.view = ClauseView()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.view)

        filters = QHBoxLayout()
        self.search.setMinimumWidth(260)
        filters.addWidget(self.search, 3)
        for combo in (self.family, self.document, self.kind, self.sector):
            filters.addWidget(combo, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 740])
        remember_splitter(self.splitter, context.settings, Settings.clauses_splitter)
        # Family and kind are filters and shown in the clause view: the list keeps the title readable.
        for column in (1, 2):
            self.table.setColumnHidden(column, True)
        for column in (3, 5):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(4, 150)
        self.table.setWordWrap(False)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self.new_action = QAction("Nouvelle clause…", self)
        self.new_action.triggered.connect(self.new_clause)
        self.copy_action = QAction("Copier pour modifier", self)
        self.copy_action.triggered.connect(self.copy_current)
        self.edit_action = QAction("Modifier votre clause…", self)
        self.edit_action.triggered.connect(self.edit_current)
        self.export_action = QAction("Exporter vos clauses…", self)
        self.export_action.triggered.connect(self.export_pack)
        self.import_action = QAction("Importer un paquet…", self)
        self.import_action.triggered.connect(self.import_pack)
        self.settings_action = QAction("Réglages : main-d'œuvre et levier…", self)
        self.settings_action.triggered.connect(self.edit_settings)
        # In team mode the organisation's clauses are written by its administrators only (the server's
        # rules refuse anyone else): the writing actions are offered to them alone.
        from achatsdesk.services.team import current_rights

        self.writes_library = current_rights(context.database).can_edit_library

        self.search.textChanged.connect(self.refresh)
        for combo in (self.family, self.document, self.kind, self.sector):
            combo.currentIndexChanged.connect(self.refresh)
        self.refresh()

    # --- page API -------------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction]:
        writing = [self.new_action, self.copy_action, self.edit_action, self.import_action] if self.writes_library else []
        return [*writing, self.export_action, self.settings_action]

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def status_text(self) -> str:
        user = sum(1 for c in self.library.all() if not c.read_only)
        return f"Bibliothèque : {format_number(len(self.library))} clauses dont {format_number(user)} à vous"

    # --- filters ----------------------------------------------------------------------
    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(f"{name} : toutes", ALL)
        for key, label in items:
            combo.addItem(label, key)
        # Long labels must not squeeze the search field: the popup shows them whole.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        return combo

    def _fill_sectors(self) -> None:
        self.sector.blockSignals(True)
        current = self.sector.currentData()
        self.sector.clear()
        self.sector.addItem("Secteur : tous", ALL)
        self.sector.addItem("Clauses générales", GENERAL)
        for label in self.library.sector_labels():
            self.sector.addItem(label[:1].upper() + label[1:], label)
        index = self.sector.findData(current)
        self.sector.setCurrentIndex(max(0, index))
        self.sector.blockSignals(False)

    def current_filter(self) -> ClauseFilter:
        def value(combo: QComboBox):
            data = combo.currentData()
            return None if data == ALL else data

        sector = self.sector.currentData()
        return ClauseFilter(
            text=self.search.text(),
            family=value(self.family),
            document=value(self.document),
            kind=value(self.kind),
            sector=None if sector == ALL else ("" if sector == GENERAL else sector),
        )

    def refresh(self, *_args) -> None:
        selected = self.current_clause_id()
        found = sorted(self.library.search(self.current_filter()), key=lambda c: fold(c.title))
        self.model.set_rows(found)
        self.count.setText(f"{format_number(len(found))} clause{'s' if len(found) > 1 else ''}")
        row = self.model.row_of(selected) if selected else -1
        self.select_row(row if row >= 0 else (0 if found else -1))

    def select_row(self, row: int) -> None:
        if row < 0:
            self.view.show_clause(None)
            self._update_actions()
            return
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def select_clause(self, clause_id: str) -> None:
        self.search.clear()
        for combo in (self.family, self.document, self.kind, self.sector):
            combo.setCurrentIndex(0)
        self.select_row(self.model.row_of(clause_id))

    def current_clause_id(self) -> str | None:
        return self.view.clause.id if self.view.clause else None

    def _on_current(self, current, _previous) -> None:
        self.view.show_clause(self.model.row(current.row()) if current.isValid() else None)
        self._update_actions()

    def _update_actions(self) -> None:
        clause = self.view.clause
        self.copy_action.setEnabled(clause is not None)
        self.edit_action.setEnabled(clause is not None and not clause.read_only)

    # --- managing the library -------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        self.library = load_library(self.context.database)
        self._fill_sectors()
        self.refresh()
        if select:
            self.select_clause(select)

    def copy_current(self) -> None:
        clause_id = self.current_clause_id()
        if not clause_id:
            return
        operations.run(self.context, self, lambda: copy_clause(self.context.database, clause_id),
                       success=lambda copy: self.reload(select=copy.id))

    def new_clause(self) -> None:
        self._edit(blank_user_clause(self.context.database))

    def edit_settings(self) -> None:
        from achatsdesk.ui.clauses.settings_dialog import ClauseSettingsDialog

        ClauseSettingsDialog(self, config=self.context.paths.config).exec()

    def edit_current(self) -> None:
        clause = self.view.clause
        if clause is None or clause.read_only:
            return
        self._edit(clause)

    def _edit(self, clause) -> None:
        dialog = ClauseEditDialog(clause, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_clause is None:
            return
        result = dialog.result_clause
        operations.run(self.context, self, lambda: save_user_clause(self.context.database, result),
                       success=lambda _saved: self.reload(select=clause.id))

    def _last_folder(self) -> str:
        return str(file_dialogs.start_folder(self.context.settings))

    def export_pack(self) -> None:
        from pathlib import Path

        from achatsdesk.services.clause_packs import export_pack

        target = choose_pack_destination(self, str(Path(self._last_folder()) / "mes-clauses.zip"))
        if not target:
            return
        def done(count: int) -> None:
            file_dialogs.remember_folder(self.context.settings, target)
            QMessageBox.information(self, "Clauses exportées",
                                    f"{count_of(count, 'clause')} {word_for(count, 'enregistrée')} dans « {Path(target).name} ».")

        operations.run(self.context, self, lambda: export_pack(self.context.database, Path(target)), success=done)

    def import_pack(self) -> None:
        from pathlib import Path

        from achatsdesk.services.clause_packs import import_pack

        source = choose_pack_to_import(self, self._last_folder())
        if not source:
            return
        database = self.context.database

        def done(report) -> None:
            self.import_action.setEnabled(True)
            file_dialogs.remember_folder(self.context.settings, source)
            self.reload()
            QMessageBox.information(self, "Paquet importé", report.summary())

        def failed(exc: BaseException) -> None:
            self.import_action.setEnabled(True)
            operations.report(self, exc)

        # Checking and trial-rendering every clause of a pack runs on a worker: never on the GUI thread.
        self.import_action.setEnabled(False)
        operations.run_in_background(self.context, self, lambda _control: import_pack(database, Path(source)),
                                     success=done, failure=failed)

