"""The soft lock's columns of a dossier row (``locked_by`` / ``locked_at``), on a connection the caller
opened: services/dossier_locks.py says what a lock means. Never the revision: taking or releasing a
lock neither makes a colleague's copy stale nor adds a line to the history."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, or_, select, text, update

from achatsdesk.storage import dossiers_repo
from achatsdesk.storage.models.dossiers import DossierRow


def me_and_now(conn: Connection) -> tuple[str, datetime]:
    """Who is connected and the time, from the database where there is one to ask: the login role and
    the server's clock on PostgreSQL (workstations' clocks differ), the system user and this machine's
    clock on the local file."""
    if conn.dialect.name == "postgresql":
        row = conn.execute(text("SELECT session_user, LOCALTIMESTAMP(0)")).one()
        return row[0], row[1]
    return dossiers_repo.author(), dossiers_repo.now()


def claim(conn: Connection, dossier_id: int, me: str, now: datetime, timeout: timedelta) -> bool:
    """One guarded UPDATE: the lock is ``me``'s when it was free, already mine, or stale."""
    return conn.execute(
        update(DossierRow).where(
            DossierRow.id == dossier_id,
            or_(DossierRow.locked_by.is_(None), DossierRow.locked_by == me,
                DossierRow.locked_at.is_(None), DossierRow.locked_at < now - timeout),
        ).values(locked_by=me, locked_at=now)
    ).rowcount == 1


def holder(conn: Connection, dossier_id: int) -> Row | None:
    """(locked_by, locked_at) of the dossier, or None when it does not exist."""
    return conn.execute(select(DossierRow.locked_by, DossierRow.locked_at).where(DossierRow.id == dossier_id)).first()


def release(conn: Connection, dossier_id: int, me: str) -> None:
    conn.execute(update(DossierRow).where(DossierRow.id == dossier_id, DossierRow.locked_by == me)
                 .values(locked_by=None, locked_at=None))
