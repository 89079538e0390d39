"""The Fichier menu and the ways a .achatsdesk file reaches the window.

Nouveau dossier (Ctrl+N, from every section), Ouvrir un fichier .achatsdesk…,
Récents, Importer…, Exporter…, then Quitter. A file given on the command line
(what a double-click does once the file type is associated, see installer/) or
dropped on the window is opened the same way: imported, or merged into its
dossier when it is a review coming back (services/review_return.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from achatsdesk.ui.settings import Settings

EXTENSION = ".achatsdesk"
MAX_RECENT = 8


def exchange_paths(urls) -> list[Path]:
    """The local .achatsdesk files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(EXTENSION)]


class FileActions(QObject):
    """Installed on the main window; the window keeps it as ``window.file_actions``."""

    def __init__(self, window: QMainWindow, menu: QMenu, before: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.new_action = QAction("&Nouveau dossier", window)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.triggered.connect(lambda: self.new_dossier())
        self.open_action = QAction("&Ouvrir un fichier .achatsdesk…", window)
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.open_action.triggered.connect(lambda: self.open_file())
        self.recent_menu = QMenu("&Récents", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.import_action = QAction("&Importer…", window)
        self.import_action.triggered.connect(lambda: self._dossiers().import_file())
        self.export_action = QAction("&Exporter…", window)
        self.export_action.triggered.connect(lambda: self._dossiers().export_current())
        for action in (self.new_action, self.open_action):
            window.addAction(action)  # the shortcuts work from every section
        menu.insertAction(before, self.new_action)
        menu.insertAction(before, self.open_action)
        menu.insertMenu(before, self.recent_menu)
        menu.insertSeparator(before)
        menu.insertAction(before, self.import_action)
        menu.insertAction(before, self.export_action)
        menu.insertSeparator(before)
        self._pending: list[Path] = []
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        window.ready.connect(self._open_pending)

    # --- actions ------------------------------------------------------------------
    def _dossiers(self):
        return self.window.show_section("dossiers")

    def new_dossier(self):
        if not self.window.is_ready:
            self.window.open_database()
            return None
        return self._dossiers().new_dossier()

    def open_file(self, path: Path | None = None) -> None:
        """Open (import or merge) an exchange file; asked for when not given."""
        if path is None:
            settings = self.window.context.settings
            folder = settings.get(Settings.last_folder) or str(Path.home())
            from PySide6.QtWidgets import QFileDialog

            name, _ = QFileDialog.getOpenFileName(self.window, "Ouvrir un dossier achatsdesk", folder,
                                                  "Dossiers achatsdesk (*.achatsdesk)")
            if not name:
                return
            path = Path(name)
            settings.set(Settings.last_folder, str(path.parent))
        self.open_path(path)

    def open_path(self, path: Path) -> None:
        """Import or merge ``path`` in the Dossiers section, once the database is open."""
        path = Path(path)
        if not self.window.is_ready:
            self._pending.append(path)
            self.window.open_database()
            return
        self._remember(path)
        self._dossiers().import_file(path)

    def _open_pending(self) -> None:
        pending, self._pending = self._pending, []
        for path in pending:
            self.open_path(path)

    # --- recent files ------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        text = self.window.context.settings.get(Settings.recent_files) or ""
        return [Path(line) for line in text.splitlines() if line.strip()]

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != path.resolve()]
        recent.insert(0, path.resolve())
        self.window.context.settings.set(Settings.recent_files, "\n".join(str(p) for p in recent[:MAX_RECENT]))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [p for p in self.recent_files() if p.is_file()]
        if not files:
            empty = self.recent_menu.addAction("Aucun fichier récent")
            empty.setEnabled(False)
            return
        for path in files:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # --- drag and drop -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasUrls() and exchange_paths(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and event.mimeData().hasUrls():
            paths = exchange_paths(event.mimeData().urls())
            if paths:
                event.acceptProposedAction()
                for path in paths:
                    self.open_path(path)
                return True
        return False
