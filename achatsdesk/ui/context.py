"""What every page of the shell is given: the database, settings and services."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from achatsdesk.paths import AppPaths
from achatsdesk.ui.settings import Settings

if TYPE_CHECKING:  # SQLAlchemy stays off the path to the first paint
    from achatsdesk.services.bootstrap import DatabaseOpener
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.storage.database import Database


class ShellContext:
    """The shell's shared state.

    At a quick start the window lists the dossiers through ``reader`` (plain
    sqlite3, read-only) while ``opener`` opens the ORM database on a worker
    thread. Reading ``database`` (or ``reference``) before that is over waits
    for it with a busy cursor, so pages can always use them directly.
    """

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
        self.paths = paths
        self.settings = settings
        self.opener = opener
        self.reader = reader
        self._database = database
        self._reference = reference

    @property
    def has_database(self) -> bool:
        return self._database is not None

    @property
    def database(self) -> Database:
        if self._database is None:
            if self.opener is None:
                raise RuntimeError("the shell was given neither a database nor a way to open one")
            self._database = _wait_for(self.opener)
        return self._database

    @database.setter
    def database(self, database: Database) -> None:
        self._database = database

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
