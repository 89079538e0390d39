"""Open the application's database: folders, schema migration, reference data.

The imports that bring SQLAlchemy stay inside the functions: the window's
quick start (``open_quick_reader``) must not pay for them before its first paint.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import TYPE_CHECKING

from achatsdesk.paths import AppPaths, app_paths, resources_dir

if TYPE_CHECKING:
    from achatsdesk.storage.database import Database

# Fingerprints of the shipped data files, kept between starts (storage/shipped_data.py).
SHIPPED_VERSIONS_CACHE = "shipped-data-versions.json"


def open_database(paths: AppPaths | None = None, server: str | None = None) -> Database:
    """The ready-to-use database: migrated (after a backup) and with its reference data.

    ``server`` (else ``ACHATSDESK_DATABASE_URL``, else the connection saved in the
    settings: services/team_connection.py) opens team mode: the shared tables on
    that PostgreSQL server, the local file for the rest.

    Raises NewerDatabaseError / MigrationError / ReferenceDataError with French messages.
    """
    from achatsdesk.domain.input_limits import load_limits
    from achatsdesk.services.catalogue import ensure_embedded_catalogue
    from achatsdesk.storage.database import Database
    from achatsdesk.storage.migrate import ensure_schema
    from achatsdesk.storage.reference_data import ensure_reference_data
    from achatsdesk.storage.shipped_data import CATALOGUE_DATASET, shipped_versions

    paths = (paths or app_paths()).ensure()
    load_limits(paths.config)  # the deployment's input limits (config/limites.json): before any file is read
    check_database_file(paths)
    ensure_schema(paths.database, paths.backups)
    address = configured_server(paths, server)
    database = Database(paths.database, address)
    if address is not None:
        _ensure_server_schema(database, paths)
    data_dir = resources_dir() / "data"
    # Fingerprinted once, through the cache the quick start keeps: not hashed again here.
    versions = shipped_versions(data_dir, paths.data / SHIPPED_VERSIONS_CACHE)
    ensure_reference_data(database.engine, data_dir, versions)
    # The supplier catalogue comes after the reference data it points at (communes, NAF).
    ensure_embedded_catalogue(database.engine, data_dir, versions[CATALOGUE_DATASET])
    if address is not None:  # after the shipped catalogue and its sectors, which a release refers to
        _load_organisation_catalogue(database)
    return database


def open_database_or_offline(paths: AppPaths | None = None,
                             server: str | None = None) -> tuple[Database, str | None]:
    """``open_database``; in team mode with the server unreachable, the local file alone (with the
    dossiers taken away offline) and the French notice saying so (services/offline.py)."""
    from achatsdesk.errors import StorageError
    from achatsdesk.services.offline import offline_notice, server_unreachable, taken_dossiers

    try:
        return open_database(paths, server), None
    except StorageError as exc:
        if not server_unreachable(exc):
            raise
    database = open_database(paths, server="local")
    return database, offline_notice(len(taken_dossiers(database)))


def configured_server(paths: AppPaths, explicit: str | None = None):
    """The team server to connect to (a ServerAddress), or None to work alone on the local file."""
    from achatsdesk.services.team_connection import configured_address

    return configured_address(paths, explicit)


def _ensure_server_schema(database: Database, paths: AppPaths) -> None:
    from achatsdesk.storage.database import storage_error
    from achatsdesk.storage.server import server_error
    from achatsdesk.storage.server_schema import ensure_server_schema

    assert database.server is not None
    try:
        ensure_server_schema(database.shared_engine, database.server, paths.backups)
    except Exception as exc:
        database.dispose()
        from achatsdesk.errors import AchatsdeskError

        if isinstance(exc, AchatsdeskError):
            raise
        raise (server_error(exc, database.server.label) or storage_error(exc)) from exc


def _load_organisation_catalogue(database: Database) -> None:
    """The newest catalogue the organisation published, into the local file. A refused release is logged and
    the previous one kept: it must not keep the buyer from their dossiers (``suppliers sync`` says why)."""
    import logging

    from achatsdesk.errors import AchatsdeskError
    from achatsdesk.services.catalogue_publication import load_published_catalogue

    try:
        load_published_catalogue(database)
    except AchatsdeskError as exc:
        logging.getLogger(__name__).warning("organisation catalogue not loaded: %s", exc.user_message)


def check_database_file(paths: AppPaths) -> None:
    """SQLite's quick_check before anything writes: a damaged file is refused (DamagedDatabaseError).

    Runs on the opening worker; at a quick start that is after the first paint.
    """
    from achatsdesk.services.recovery import damaged_error
    from achatsdesk.storage.integrity import quick_check

    if paths.database.is_file() and paths.database.stat().st_size > 0:
        problems = quick_check(paths.database)
        if problems and not _only_not_a_database(problems):
            raise damaged_error(paths.database, paths.backups, problems)


def _only_not_a_database(problems: list[str]) -> bool:
    # Not an SQLite file at all: storage/migrate.py says so in its own words.
    return len(problems) == 1 and "not a database" in problems[0]


def open_quick_reader(paths: AppPaths) -> sqlite3.Connection | None:
    """A read-only sqlite3 connection when opening the database would change nothing, else None.

    None in team mode too: the dossiers are on the server, the local file would list the wrong ones.
    """
    from achatsdesk.services.connection_setting import configured_text
    from achatsdesk.storage.quick_start import open_reader

    try:
        if configured_text(paths):
            return None
    except Exception:  # noqa: BLE001 - an unreadable setting is reported by the full opening path
        return None

    return open_reader(paths.database, resources_dir() / "data", paths.data / SHIPPED_VERSIONS_CACHE)


class DatabaseOpener:
    """Runs ``open_database`` once on a worker thread, when first asked to.

    The window paints meanwhile; ``result()`` waits for the outcome and returns
    the database or raises its error. The engine is thread-safe and its SQLite
    connections are not bound to the thread that made them.
    """

    def __init__(self, paths: AppPaths) -> None:
        self._paths = paths
        self._database: Database | None = None
        self.error: BaseException | None = None
        self.notice: str | None = None  # set when the team server was unreachable: working offline
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="open-database", daemon=True)
                self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def _run(self) -> None:
        try:
            self._database, self.notice = open_database_or_offline(self._paths)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            self.error = exc
        finally:
            self._done.set()

    def result(self) -> Database:
        """The open database, starting and waiting for the work if needed; raises its error."""
        self.start()
        self._done.wait()
        if self.error is not None:
            raise self.error
        assert self._database is not None
        return self._database

    def finish(self) -> None:
        """At exit: let a started open (perhaps a migration) end instead of cutting it."""
        if self._thread is not None:
            self._done.wait()
