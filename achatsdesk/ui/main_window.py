"""The main window: navigation rail on the left, the current section, a toolbar, a status bar.

Sections are built lazily, the first time they are shown, so start-up only
pays for the page the user lands on: each section names a factory that
imports its page class when first called. At a quick start (the database needs no
change) the Dossiers section is built from a plain sqlite3 reader and painted
before the ORM database is open; the other sections wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from achatsdesk import APP_DISPLAY_NAME
from achatsdesk.domain.formatting import format_number
from achatsdesk.ui.context import CatalogueSearch, ShellContext
from achatsdesk.ui.page import Page
from achatsdesk.ui.settings import Settings


# Named tuples, not dataclasses, for the records defined before the first paint: a frozen dataclass
# costs 0.4 ms to define (its methods are generated with exec), a named tuple a tenth of that.
class Section(NamedTuple):
    id: str
    title: str
    build: Callable[[ShellContext], Page]  # called on first show
    reads_before_database: bool = False  # can be shown from the start-up reader


# Each page class is imported on first show (start-up pays only for the first section).
def _dossiers_page(context: ShellContext) -> Page:
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage

    return DossiersPage(context)


def _catalogue_page(context: ShellContext) -> Page:
    from achatsdesk.ui.catalogue.catalogue_page import CataloguePage

    return CataloguePage(context)


def _clauses_page(context: ShellContext) -> Page:
    from achatsdesk.ui.clauses.clauses_page import ClausesPage

    return ClausesPage(context)


def _indicators_page(context: ShellContext) -> Page:
    from achatsdesk.ui.indicators.indicators_page import IndicatorsPage

    return IndicatorsPage(context)


def _programme_page(context: ShellContext) -> Page:
    from achatsdesk.ui.programme.page import ProgrammePage

    return ProgrammePage(context)


def _follow_up_page(context: ShellContext) -> Page:
    from achatsdesk.ui.execution.follow_up_page import FollowUpPage

    return FollowUpPage(context)


# A calm rail: the current section is obvious (accent bar, bold), no colour-only cue.
RAIL_STYLE = """
QListWidget#navigationRail { background: #f3f5f8; border-right: 1px solid #d5dae1; padding-top: 12px; font-size: 10.5pt; }
QListWidget#navigationRail::item { padding: 6px 10px; color: #1f2933; border-left: 4px solid transparent; }
QListWidget#navigationRail::item:selected { background: #e1e8f5; color: #0b3d91; border-left: 4px solid #0b5cd5; font-weight: bold; }
QListWidget#navigationRail::item:hover:!selected { background: #e9edf2; }
"""

SECTIONS = (
    Section("dossiers", "Dossiers", _dossiers_page, reads_before_database=True),
    Section("catalogue", "Catalogue ESS", _catalogue_page),
    Section("clauses", "Bibliothèque de clauses", _clauses_page),
    Section("indicateurs", "Indicateurs", _indicators_page),
    Section("programme", "Programme", _programme_page),
    Section("suivi", "Suivi", _follow_up_page),
)


class _FirstPaintWatcher(QObject):
    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            callback()
        return False


class MainWindow(QMainWindow):
    """The window can paint before the ORM database is open (start-up opens it
    on a worker thread, through ``context.opener``): ``ready`` is emitted once
    ``attach_database`` has run, ``database_failed`` if opening it failed."""

    first_painted = Signal()
    ready = Signal()
    database_failed = Signal(object)
    section_changed = Signal(str)

    def __init__(self, context: ShellContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"{APP_DISPLAY_NAME} — clauses sociales et environnementales")
        self.setMinimumSize(QSize(720, 480))
        self._pages: dict[str, Page] = {}
        self._page_actions: list[QAction] = []
        self._attached = False
        self._awaiting_database = False

        self.rail = QListWidget()
        self.rail.setObjectName("navigationRail")
        self.rail.setAccessibleName("Sections")
        self.rail.setFixedWidth(236)
        self.rail.setSpacing(2)
        self.rail.setStyleSheet(RAIL_STYLE)
        self.rail.setFrameShape(QListWidget.Shape.NoFrame)
        for section in SECTIONS:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.id)
            item.setSizeHint(QSize(220, 36))
            self.rail.addItem(item)
        self.stack = QStackedWidget()
        self._loading = QLabel("Ouverture de la base de données…")
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._loading)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.toolbar = QToolBar("Actions")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)
        self._build_menus()
        self.statusBar().setObjectName("statusBar")
        # Which database is open (the local file, or the team's server): always shown, at the right.
        self.database_label = QLabel()
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setAccessibleName("Base de données ouverte")
        self.statusBar().addPermanentWidget(self.database_label)

        self.rail.currentRowChanged.connect(self._on_row_changed)
        context.section_requested.connect(self.show_section)
        context.catalogue_search_requested.connect(self.search_catalogue)
        self._paint_watcher = _FirstPaintWatcher(self.first_painted.emit)
        self.installEventFilter(self._paint_watcher)

        self._restore()
        if context.has_database:
            self.attach_database(context.database)

    @property
    def is_ready(self) -> bool:
        return self._attached

    def attach_database(self, database) -> None:
        """Give the window its open database; the current section is then built or refreshed."""
        self.context.database = database
        self.context.close_reader()
        self._attached = True
        self.database_label.setText(database.label)
        if self.stack.currentWidget() is self._loading:
            self._on_row_changed(self.rail.currentRow())
        else:  # the Dossiers list shown from the start-up reader stays as the user left it
            self.refresh_status()
        self.ready.emit()

    def open_database(self) -> None:
        """Start opening the database on the worker thread (once); attach it when it is open."""
        opener = self.context.opener
        if self._attached or opener is None or self._awaiting_database:
            return
        self._awaiting_database = True
        opener.start()  # a no-op if start-up already started it
        QTimer.singleShot(10, self._attach_when_open)

    def _attach_when_open(self) -> None:
        opener = self.context.opener
        if not opener.done:
            QTimer.singleShot(10, self._attach_when_open)
        elif opener.error is not None:
            self.database_failed.emit(opener.error)
        elif not self._attached:
            self.attach_database(opener.result())

    # --- sections -------------------------------------------------------
    def page(self, section_id: str) -> Page:
        """The page of a section, built on first use."""
        if section_id not in self._pages:
            section = next(s for s in SECTIONS if s.id == section_id)
            page = section.build(self.context)
            page.status_changed.connect(self.refresh_status)
            self._pages[section_id] = page
            self.stack.addWidget(page)
        return self._pages[section_id]

    def show_section(self, section_id: str) -> Page:
        row = next(i for i, s in enumerate(SECTIONS) if s.id == section_id)
        if self.rail.currentRow() != row:
            self.rail.setCurrentRow(row)  # triggers _on_row_changed
        return self.page(section_id)

    def search_catalogue(self, request: CatalogueSearch) -> Page:
        """A dossier asks for suppliers: the Catalogue ESS, preset on its place, sectors and list."""
        from achatsdesk.ui.catalogue.catalogue_page import CataloguePage

        page = self.show_section("catalogue")
        assert isinstance(page, CataloguePage)
        page.preset_search(request.place_insee, request.sectors, request.sectors_label, request.shortlist_id)
        return page

    def current_section(self) -> str:
        row = max(0, self.rail.currentRow())
        return SECTIONS[row].id

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        section = SECTIONS[row]
        if not self.is_ready and not (section.reads_before_database and self.context.reader is not None):
            self.stack.setCurrentWidget(self._loading)
            self.open_database()
            return
        page = self.page(section.id)
        self.stack.setCurrentWidget(page)
        for action in self._page_actions:
            self.toolbar.removeAction(action)
        self._page_actions = page.toolbar_actions()
        self.toolbar.addActions(self._page_actions)
        self.toolbar.setVisible(bool(self._page_actions))
        page.on_shown()
        self.refresh_status()
        self.section_changed.emit(section.id)

    def refresh_status(self) -> None:
        page = self._pages.get(self.current_section())
        text = page.status_text() if page else ""
        if not text and self.is_ready:
            counts = self.context.reference.counts()
            text = (
                f"Référentiels : {format_number(counts['cpv'])} codes CPV · "
                f"{format_number(counts['communes'])} communes (COG 2026)"
            )
        self.statusBar().showMessage(text)

    # --- menus ----------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Fichier")
        quit_action = QAction("&Quitter", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty on Windows
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu
        from achatsdesk.ui.file_actions import FileActions

        self.file_actions = FileActions(self, file_menu, quit_action)  # Nouveau, Ouvrir, Récents, Importer…

        view_menu = self.menuBar().addMenu("&Affichage")
        for index, section in enumerate(SECTIONS):
            action = QAction(section.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, sid=section.id: self.show_section(sid))
            view_menu.addAction(action)
        find = QAction("&Rechercher", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        view_menu.addAction(find)

        settings_menu = self.menuBar().addMenu("&Paramètres")
        database_settings = QAction("&Base de données…", self)
        database_settings.triggered.connect(self.show_database_settings)
        settings_menu.addAction(database_settings)
        self.settings_menu = settings_menu

        help_menu = self.menuBar().addMenu("Aid&e")
        guide = QAction("&Aide d'achatsdesk", self)
        guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        guide.triggered.connect(self.show_help)
        help_menu.addAction(guide)
        about = QAction("À &propos d'achatsdesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        logs = QAction("Ouvrir le dossier des &journaux", self)
        logs.triggered.connect(self.show_logs)
        help_menu.addAction(logs)

    def bring_to_front(self) -> None:
        """Another launch of achatsdesk asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _focus_search(self) -> None:
        page = self._pages.get(self.current_section())
        if page is not None:
            page.focus_search()

    def show_help(self) -> None:
        from achatsdesk.ui.dialogs.help import HelpDialog

        HelpDialog(self).exec()

    def show_database_settings(self) -> None:
        from achatsdesk.ui.dialogs.database_settings import DatabaseSettingsDialog

        DatabaseSettingsDialog(self.context, self).exec()

    def show_logs(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.context.paths.logs)))

    def show_about(self) -> None:
        from achatsdesk.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    # --- geometry -------------------------------------------------------
    def _restore(self) -> None:
        settings = self.context.settings
        geometry = settings.get(Settings.window_geometry)
        if geometry and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.get(Settings.window_state)
        if state and not state.isEmpty():
            self.restoreState(state)
        section = settings.get(Settings.current_section)
        ids = [s.id for s in SECTIONS]
        self.rail.setCurrentRow(ids.index(section) if section in ids else 0)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        for page in self._pages.values():
            if not page.can_close():
                event.ignore()
                return
        settings = self.context.settings
        settings.set(Settings.window_geometry, self.saveGeometry())
        settings.set(Settings.window_state, self.saveState())
        settings.set(Settings.current_section, self.current_section())
        settings.sync()
        super().closeEvent(event)
