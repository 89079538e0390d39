"""What every page of the shell is given: the database, settings, the task runner,
and the signals that announce what an operation changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from achatsdesk.paths import AppPaths
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:  # SQLAlchemy stays off the path to the first paint
    from achatsdesk.services.bootstrap import (
        Database,  # the type only: the shell reaches storage through services
        DatabaseOpener,
    )
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.services.team_events import DossierEvent, Listener


TEAM_REFRESH_MS = 300  # colleagues' changes arriving together refresh the views once


class CatalogueSearch(NamedTuple):  # not a dataclass: defined before the first paint (main_window.Section)
    """What a dossier asks of the Catalogue ESS: suppliers around its place, in its
    sectors, added to its list."""

    place_insee: str | None
    sectors: Sequence[str]
    sectors_label: str
    shortlist_id: int | None


class ShellContext(QObject):
    """The shell's shared state.

    Operations (ui/operations.py) announce what they changed on the signals
    below; views listen and refresh themselves, instead of reaching through
    the window for one another. ``section_requested`` asks the main window to
    show a section; ``catalogue_search_requested`` to open the Catalogue ESS on
    a dossier's preset (a CatalogueSearch).

    At a quick start the window lists the dossiers through ``reader`` (plain
    sqlite3, read-only) while ``opener`` opens the ORM database on a worker
    thread. Reading ``database`` (or ``reference``) before that is over waits
    for it with a busy cursor, so pages can always use them directly.

    On a team database a listener (services/team_events.py) hears the colleagues' changes
    on a thread of its own; they reach the GUI thread through the queued ``_team_event``:
    ``dossier_changed_elsewhere`` (a DossierEvent, for an open editor) at once, and
    ``dossiers_changed`` once for the changes arriving together (the lists refresh).
    """

    dossier_saved = Signal(int)  # a dossier's stored content changed (id)
    dossiers_changed = Signal()  # dossiers were created, imported or deleted: the list changes
    shortlist_changed = Signal(int)  # a supplier list's entries or name changed (list id)
    catalogue_changed = Signal()  # suppliers were imported or their sectors changed
    section_requested = Signal(str)  # section id
    catalogue_search_requested = Signal(object)  # CatalogueSearch
    dossier_changed_elsewhere = Signal(object)  # DossierEvent: a colleague (or another window) changed a dossier
    _team_event = Signal(object)  # DossierEvent, emitted on the listener's thread

    def __init__(
        self,
        paths: AppPaths,
        database: Database | None,
        settings: Settings,
        reference: ReferenceService | None = None,
        *,
        opener: DatabaseOpener | None = None,
        reader: sqlite3.Connection | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.tasks = TaskRunner()
        self.settings = settings
        self.opener = opener
        self.reader = reader
        self._database = database
        self._reference = reference
        self._listener: Listener | None = None
        self._team_stopped = False
        self._team_event.connect(self.receive_team_event, Qt.ConnectionType.QueuedConnection)
        self._team_refresh = QTimer(self, singleShot=True, interval=TEAM_REFRESH_MS)
        self._team_refresh.timeout.connect(self.dossiers_changed.emit)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.stop_team_events)
        if database is not None:
            self.start_team_events()

    @property
    def has_database(self) -> bool:
        return self._database is not None

    @property
    def database(self) -> Database:
        if self._database is None:
            if self.opener is None:
                raise RuntimeError("the shell was given neither a database nor a way to open one")
            self._database = _wait_for(self.opener)
            self.start_team_events()
        return self._database

    @database.setter
    def database(self, database: Database) -> None:
        if database is not self._database:
            self.stop_team_events()
        self._database = database
        self.start_team_events()

    # --- colleagues' changes (team mode) ----------------------------------------------
    def start_team_events(self) -> None:
        """Listen to the team server's notifications (nothing happens on the local file alone)."""
        if self._listener is not None or self._database is None or not self._database.is_team:
            return
        from achatsdesk.services.team_events import listen_for_changes

        self._listener = listen_for_changes(self._database, self._team_event.emit)
        self._team_stopped = False

    def stop_team_events(self) -> None:
        """No more colleagues' events (the application quits, another database is opened); those
        already on their way to the GUI thread are dropped."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
            self._team_stopped = True
        self._team_refresh.stop()

    @property
    def team_listener(self) -> Listener | None:
        return self._listener

    def receive_team_event(self, event: DossierEvent) -> None:
        """On the GUI thread: an open editor of that dossier hears of it now, the lists soon."""
        if self._team_stopped:
            return
        self.dossier_changed_elsewhere.emit(event)
        if not self._team_refresh.isActive():
            self._team_refresh.start()

    @property
    def reference(self) -> ReferenceService:
        if self._reference is None:
            from achatsdesk.services.reference import ReferenceService

            self._reference = ReferenceService(self.database)
        return self._reference

    def close_reader(self) -> None:
        """The ORM database is open: the start-up reader is no longer needed."""
        if self.reader is not None:
            self.reader.close()
            self.reader = None


def _wait_for(opener: DatabaseOpener) -> Database:
    if opener.done:
        return opener.result()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return opener.result()
    finally:
        QGuiApplication.restoreOverrideCursor()
