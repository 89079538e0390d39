"""Soft locks: "en cours de modification par …", shown to colleagues who open the same dossier.

A lock is advisory. It never blocks a save: the revision check of ``save_dossier`` is
what refuses a stale write. The editor takes the lock when it opens a dossier,
refreshes it every ``LOCK_REFRESH`` while it stays open, and releases it when it
closes; a lock not refreshed for ``LOCK_TIMEOUT`` (a crashed window, a laptop put to
sleep) is stale: ignored, and taken over by the next editor.

Taking or releasing a lock writes only ``dossier.locked_by`` / ``locked_at``: never the
revision, so it neither makes a colleague's copy stale nor adds a line to the history.
Who and when come from the database where there is one to ask: the login role and the
server's clock on PostgreSQL (workstations' clocks differ), the system user and this
machine's clock alone on the local file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from achatsdesk.errors import NotFoundError
from achatsdesk.storage import dossier_lock_rows
from achatsdesk.storage.database import Database

__all__ = ["LOCK_REFRESH", "LOCK_TIMEOUT", "LockState", "lock_of", "release_lock", "take_lock"]

LOCK_TIMEOUT = timedelta(minutes=5)
LOCK_REFRESH = timedelta(minutes=1)  # well within the timeout: a missed refresh or two do not lose it


@dataclass(frozen=True)
class LockState:
    dossier_id: int
    holder: str  # the login role on the server, the system user alone
    since: datetime  # when it was last taken or refreshed (the database's clock)
    mine: bool  # held by the user of this connection

    @property
    def text(self) -> str:
        return f"En cours de modification par {self.holder} (depuis {self.since:%H:%M})."


def _live(locked_by: str | None, locked_at: datetime | None, now: datetime, timeout: timedelta) -> bool:
    return bool(locked_by) and locked_at is not None and locked_at >= now - timeout


def take_lock(database: Database, dossier_id: int, timeout: timedelta = LOCK_TIMEOUT) -> LockState:
    """Take (or refresh) the lock unless a colleague holds a live one; the lock as it then is.

    One guarded UPDATE: of two colleagues taking a free lock at once, one gets it and the other
    is told who has it. Raises NotFoundError when the dossier does not exist.
    """
    with database.shared_engine.begin() as conn:
        me, now = dossier_lock_rows.me_and_now(conn)
        if dossier_lock_rows.claim(conn, dossier_id, me, now, timeout):
            return LockState(dossier_id, me, now, mine=True)
        row = dossier_lock_rows.holder(conn, dossier_id)
    if row is None:
        raise NotFoundError(f"Le dossier n° {dossier_id} n'existe pas.", hint="Il a peut-être été supprimé.")
    return LockState(dossier_id, row.locked_by or "", row.locked_at or now, mine=False)


def release_lock(database: Database, dossier_id: int) -> None:
    """Give the lock back (closing the editor); a colleague's lock is left alone."""
    with database.shared_engine.begin() as conn:
        me, _now = dossier_lock_rows.me_and_now(conn)
        dossier_lock_rows.release(conn, dossier_id, me)


def lock_of(database: Database, dossier_id: int, timeout: timedelta = LOCK_TIMEOUT) -> LockState | None:
    """The live lock on the dossier, or None when it is free (or its lock is stale)."""
    with database.shared_engine.connect() as conn:
        me, now = dossier_lock_rows.me_and_now(conn)
        row = dossier_lock_rows.holder(conn, dossier_id)
    if row is None or not _live(row.locked_by, row.locked_at, now, timeout):
        return None
    return LockState(dossier_id, row.locked_by, row.locked_at, mine=row.locked_by == me)
