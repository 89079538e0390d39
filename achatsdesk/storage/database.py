"""The engines and the unit of work.

Alone, achatsdesk keeps everything in one SQLite file. In team mode the tables
the team shares (dossiers, reviews, the organisation's clauses, the execution
follow-up: ``models.SHARED_TABLES``) live on the service's PostgreSQL server,
and the read-mostly local store (reference data, the supplier catalogue with its
FTS5 and R*Tree indexes, shortlists, dossiers taken away offline) stays in the
SQLite file. One session spans both: SQLAlchemy routes each table to its engine
(``Session(binds=…)``), so repositories and services do not know where a table lives.

Every SQLite engine runs in WAL mode with foreign keys on, so that a reader
(the window) never blocks on a writer (an import) and a killed process never
leaves a half-written database. Sessions live for one user action
(``unit_of_work``); objects never cross threads, ids do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from achatsdesk.errors import StorageError

if TYPE_CHECKING:
    from achatsdesk.storage.server import ServerAddress


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def storage_error(exc: BaseException) -> StorageError:
    """A French StorageError for a failed database write; nothing was written (rolled back)."""
    from achatsdesk.storage.server import server_error

    on_server = server_error(exc)
    if on_server is not None:
        return on_server
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "disk image" in text:
        return StorageError(
            "La base de données est endommagée : cette modification n'a pas été enregistrée.",
            hint="Fermez achatsdesk puis lancez « achatsdesk-cli doctor » : il vérifie la base et propose "
            "de restaurer une sauvegarde ou de récupérer ce qui est lisible.",
            detail=repr(exc),
        )
    if "disk is full" in text or "disk i/o" in text:
        hint = "Le disque est plein : libérez de l'espace puis réessayez. Rien n'a été enregistré."
    elif "locked" in text or "busy" in text:
        hint = ("Un autre traitement (un import ?) écrit dans la base depuis plus de 5 secondes : "
                "attendez qu'il se termine puis réessayez. Rien n'a été enregistré.")
    elif "readonly" in text or "read-only" in text:
        hint = "Le dossier des données est en lecture seule : vérifiez vos droits sur ce dossier."
    else:
        hint = "Réessayez ; si le problème continue, envoyez le journal au support."
    return StorageError("La base de données n'a pas pu être écrite.", hint=hint, detail=repr(exc))


class Database:
    """The local SQLite file and, in team mode, the team server: their engines and a session factory.

    ``engine`` is always the local file (reference data, catalogue, shortlists);
    ``shared_engine`` holds what the team shares: the server when connected, else
    the same local file. Code that reads shared tables without the ORM uses
    ``shared_engine``.
    """

    def __init__(self, path: Path, server: ServerAddress | None = None) -> None:
        from achatsdesk.storage.models import SHARED_TABLES, Base

        self.path = path
        self.server = server
        self.engine = make_engine(path)
        if server is None:
            self.shared_engine = self.engine
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        else:
            from achatsdesk.storage.server import make_server_engine

            self.shared_engine = make_server_engine(server)
            binds = {table: self.shared_engine for name, table in Base.metadata.tables.items()
                     if name in SHARED_TABLES}
            self._sessions = sessionmaker(bind=self.engine, binds=binds, expire_on_commit=False)

    @property
    def is_team(self) -> bool:
        return self.server is not None

    @property
    def label(self) -> str:
        """Which database is open, for the status bar."""
        return self.server.label if self.server is not None else f"Base locale ({self.path.name})"

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except (sqlite3.DatabaseError, DBAPIError) as exc:
            session.rollback()
            raise storage_error(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def single_statement(self) -> Iterator[Session]:
        """A unit of work that writes the shared tables with ONE statement: it runs without an explicit
        transaction (the database's autocommit), atomic by itself on both engines, triggers included.
        On the team server that is one round trip instead of three (BEGIN, the statement, COMMIT).
        Reads may follow it (a refusal's explanation); a second write must use ``unit_of_work``."""
        with self.unit_of_work() as session:
            session.connection(bind_arguments={"bind": self.shared_engine},
                               execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.shared_engine is not self.engine:
            self.shared_engine.dispose()
