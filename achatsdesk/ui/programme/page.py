"""The Programme section: open the year's programme, see every line judged (sort, filters,
detail, charts), export the judged table, create the dossiers of the chosen lines."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_money, format_number, format_percent
from achatsdesk.domain.levers import LEVER_LABELS
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.errors import Cancelled
from achatsdesk.ui import operations
from achatsdesk.ui.page import Page
from achatsdesk.ui.programme.chart import ProgrammeChart
from achatsdesk.ui.programme.detail import LineDetail
from achatsdesk.ui.programme.table_model import (
    LINE_ROLE,
    STATES,
    ProgrammeFilter,
    ProgrammeTableModel,
)
from achatsdesk.ui.widgets.file_dialogs import (
    open_file_name,
    remember_folder,
    save_file_name,
    start_folder,
)


class ProgrammePage(Page):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAccessibleName("Programme d'achats")
        self.result = None  # services.programme.ProgrammeResult
        self.document: dict | None = None
        self.path: Path | None = None
        self._task = None
        self._running = False
        self.last_report = None  # the CreationReport of the last "Créer les dossiers"
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.open_button = QPushButton("Ouvrir un programme…")
        self.open_button.setAccessibleName("Ouvrir un programme d'achats (XLSX, ODS ou CSV)")
        self.open_button.clicked.connect(self._browse)
        self.export_button = QPushButton("Exporter (XLSX)…")
        self.export_button.setAccessibleName("Exporter le programme analysé en XLSX")
        self.export_button.clicked.connect(self._export)
        self.create_button = QPushButton("Créer les dossiers")
        self.create_button.setAccessibleName("Créer les dossiers des lignes choisies")
        self.create_button.clicked.connect(self.create_dossiers)
        for button in (self.open_button, self.export_button, self.create_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filtrer par objet, service ou CPV")
        self.search.setAccessibleName("Filtrer les lignes")
        self.service_combo = QComboBox()
        self.service_combo.setAccessibleName("Filtrer par service")
        self.service_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.service_combo.addItem("Tous les services", None)
        self.lever_combo = QComboBox()
        self.lever_combo.setAccessibleName("Filtrer par levier")
        self.lever_combo.addItem("Tous les leviers", None)
        for lever, label in LEVER_LABELS.items():
            self.lever_combo.addItem(label, lever.value)
        self.state_combo = QComboBox()
        self.state_combo.setAccessibleName("Filtrer par état")
        for key, label in STATES.items():
            self.state_combo.addItem(label, key)
        for widget in (self.search, self.service_combo, self.lever_combo, self.state_combo):
            filters.addWidget(widget)
        layout.addLayout(filters)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Avancement de l'analyse")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setAccessibleName("Annuler l'analyse")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)

        self.model = ProgrammeTableModel(self)
        self.proxy = ProgrammeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("Lignes du programme")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        for column, width in enumerate((52, 120, 260, 120, 80, 150, 90, 170, 70)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self.show_detail(current))
        self.detail = LineDetail()
        self.chart = ProgrammeChart()
        # The detail and the charts share one side, each with the whole height.
        right = QTabWidget()
        right.setAccessibleName("Détail et graphiques")
        right.addTab(self.detail, "Détail de la ligne")
        right.addTab(self.chart, "Graphiques")
        self.side_tabs = right
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.summary = QLabel("Ouvrez le programme d'achats de l'année : une ligne par achat prévu "
                              "(objet, CPV, montant, nature, date ou trimestre de lancement, lieu, lots, service).")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Totaux du programme")
        layout.addWidget(self.summary)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Résultat de la dernière action")
        layout.addWidget(self.message)

        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text))
        self.service_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(service=self.service_combo.currentData()))
        self.lever_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(lever=self.lever_combo.currentData()))
        self.state_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(state=self.state_combo.currentData()))
        self._set_enabled()

    # --- Page --------------------------------------------------------------
    def toolbar_actions(self) -> list[QAction]:
        action = QAction("Ouvrir un programme…", self)
        action.triggered.connect(self._browse)
        return [action]

    def focus_search(self) -> None:
        self.search.setFocus()

    def status_text(self) -> str:
        if self.result is None:
            return ""
        totals = self.result.totals
        return (f"Programme « {self.result.source} » : {count_of(totals.judged, 'ligne analysée', 'lignes analysées')}, "
                f"{format_number(totals.errors)} {word_for(totals.errors, 'illisible')}")

    def _set_enabled(self) -> None:
        ready = self.result is not None and not self._running
        self.export_button.setEnabled(ready)
        self.create_button.setEnabled(ready)
        self.open_button.setEnabled(not self._running)

    # --- opening and judging ------------------------------------------------
    def _browse(self) -> None:
        path = open_file_name(self, "Ouvrir un programme d'achats", str(start_folder(self.context.settings)),
                              "Tableaux (*.xlsx *.ods *.csv);;Tous les fichiers (*)")
        if path:
            remember_folder(self.context.settings, path)
            self.load_file(Path(path))

    def load_file(self, path: Path, year: int | None = None) -> None:
        """Judge the file on the worker thread, with progress and Annuler; nothing is stored.

        When the headings are not the usual ones (and no mapping is remembered for this
        layout), the mapping assistant asks once and the choice is remembered."""
        from achatsdesk.services.programme_reader import read_table, remember_mapping

        self.path = Path(path)
        self.message.setText("")
        table = operations.run(self.context, self, lambda: read_table(self.path))
        if table is None:
            return
        mapping = None
        if table.missing:
            mapping = self.ask_mapping(table)
            if mapping is None:
                self.message.setText("Analyse abandonnée : les colonnes du programme n'ont pas été indiquées.")
                return
            remember_mapping(table.headers, mapping)
        self._judge(self.path, year or _year_from_name(self.path), mapping)

    def ask_mapping(self, table) -> dict[str, str] | None:
        from achatsdesk.ui.programme.mapping_dialog import ProgrammeMappingDialog

        dialog = ProgrammeMappingDialog(table, self)
        self.mapping_dialog = dialog  # kept so that tests can answer it
        if dialog.exec() != ProgrammeMappingDialog.DialogCode.Accepted:
            return None
        return dialog.mapping()

    def _judge(self, path: Path, year: int | None, mapping: dict[str, str] | None) -> None:
        from achatsdesk.services.programme import judge_programme

        database = self.context.database
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)

        def work(control):
            return judge_programme(path, database, year=year, mapping=mapping, progress=control.progress,
                                   cancelled=control.cancelled, config=self.context.paths.config)

        self._running = True
        task = operations.run_in_background(self.context, self, work, writes=False, success=self._judged,
                                            failure=self._failed, progress=self._progressed)
        if self._running:  # inline runs (tests) have already finished here
            self._task = task
        self._set_enabled()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(message)

    def _finish_task(self) -> None:
        self._running = False
        self._task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._set_enabled()

    def _failed(self, exc: BaseException) -> None:
        self._finish_task()
        if isinstance(exc, Cancelled):
            self.message.setText(exc.message)
            return
        operations.report(self, exc)

    def _judged(self, result) -> None:
        from achatsdesk.services.programme import result_document

        self.result = result
        self.document = result_document(result)
        self._finish_task()
        self.model.set_lines(self.document["lines"])
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        self.service_combo.addItem("Tous les services", None)
        for service in sorted({line["service"] or "Sans service" for line in self.document["lines"]}, key=str.casefold):
            self.service_combo.addItem(service, service)
        self.service_combo.blockSignals(False)
        self.proxy.set_filters(service=None)
        totals = result.totals
        share = totals.share(totals.condition_amount_eur)
        self.summary.setText(
            f"{count_of(totals.lines, 'ligne')}, {format_number(totals.judged)} {word_for(totals.judged, 'analysée')} pour "
            f"{format_money(totals.amount_eur)}, {format_number(totals.errors)} {word_for(totals.errors, 'illisible')} ; "
            f"condition sociale ou environnementale obligatoire : {count_of(totals.condition_mandatory, 'ligne')}"
            + (f" ({format_percent(share)} du montant)" if share is not None else "")
            + f" ; heures d'insertion potentielles : {format_number(totals.potential_hours)} ; "
            f"réservation possible : {count_of(totals.reservation_possible, 'ligne')}.")
        self.chart.set_data([(s.service, s.hours) for s in totals.by_service],
                            [(LEVER_LABELS[lever], totals.by_lever.get(lever.value, 0)) for lever in LEVER_LABELS])
        self.status_changed.emit()

    # --- detail ---------------------------------------------------------------
    def visible_lines(self) -> list[int]:
        return [self.proxy.index(r, 0).data(LINE_ROLE)["line"] for r in range(self.proxy.rowCount())]

    def select_lines(self, numbers: list[int]) -> None:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(LINE_ROLE)["line"] in numbers:
                selection.select(index, self.proxy.index(row, self.proxy.columnCount() - 1))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def show_detail(self, index) -> None:
        if not index.isValid() or self.result is None:
            return
        line = index.data(LINE_ROLE)
        self.detail.show_line(line, self.result.line(line["line"]).check)
        self.side_tabs.setCurrentWidget(self.detail)

    def selected_lines(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return sorted(self.proxy.index(r, 0).data(LINE_ROLE)["line"] for r in rows)

    # --- export and dossiers -------------------------------------------------
    def _export(self) -> None:
        if self.document is None:
            return
        suggested = str((self.path.parent if self.path else Path.home()) / f"{self.path.stem if self.path else 'programme'}-analyse.xlsx")
        target = save_file_name(self, "Exporter le programme analysé", suggested, "Classeur (*.xlsx)")
        if target:
            self.export_to(Path(target))

    def export_to(self, target: Path) -> Path | None:
        from achatsdesk.services.programme import export_programme

        document = self.document
        written = operations.run(self.context, self, lambda: export_programme(document, target))
        if written is None:
            return None
        self.message.setText(f"Programme analysé exporté dans « {written} ».")
        return written

    def create_dossiers(self) -> None:
        """A draft dossier per selected line; a line already turned into a dossier is left as it is."""
        from achatsdesk.services.programme_dossiers import create_dossiers

        numbers = self.selected_lines()
        if self.result is None or not numbers:
            self.message.setText("Choisissez d'abord les lignes du programme dont vous voulez créer les dossiers.")
            return
        database, result = self.context.database, self.result
        report = operations.run(self.context, self, lambda: create_dossiers(database, result, numbers),
                                changes=operations.Changes(dossiers=True))
        if report is None:
            return
        self.last_report = report
        self.message.setText(report.summary())
        self.status_changed.emit()


def _year_from_name(path: Path) -> int | None:
    """"programme-2027.xlsx" is the 2027 programme: its "T2" lines are in 2027."""
    import re

    found = re.search(r"(20\d\d)", path.stem)
    return int(found[1]) if found else None
