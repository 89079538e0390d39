"""The SQLite engine and the unit of work.

Every engine runs SQLite in WAL mode with foreign keys on, so that a reader
(the window) never blocks on a writer (an import) and a killed process never
leaves a half-written database. Sessions live for one user action
(``unit_of_work``); objects never cross threads, ids do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from achatsdesk.errors import StorageError


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
    """One database file: its engine and a session factory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

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

    def dispose(self) -> None:
        self.engine.dispose()
