"""Colleagues' changes, as they happen: PostgreSQL's LISTEN/NOTIFY on the team server.

Every insert or update of a dossier and every review decision makes the server's trigger
(migration 0011_team) send ``pg_notify('achatsdesk_dossiers', {"id", "revision", "action",
"by"})``, delivered when the writer's transaction commits. ``listen_for_changes`` starts a
daemon thread with its own connection (LISTEN needs a connection of its own in autocommit,
outside the pool) and calls ``on_change`` with a DossierEvent for each one, on that thread:
a window hands it over to its GUI thread itself.

A dropped connection (the laptop's network, a server restart) is reopened quietly, with a
growing pause; notifications sent meanwhile are lost, so the first event after a reconnection
is a ``RESYNC`` one that says "read everything again". Alone on the local file there is no one
to hear from: the listener does nothing.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from achatsdesk.storage.database import Database

__all__ = ["CHANNEL", "RESYNC", "DossierEvent", "Listener", "listen_for_changes"]

log = logging.getLogger(__name__)

CHANNEL = "achatsdesk_dossiers"
RESYNC = "resync"  # the action of the event sent after a reconnection: anything may have changed
POLL_SECONDS = 0.25  # how long the thread waits for a notification before looking at stop()
RETRY_SECONDS = (1, 2, 5, 10, 30)  # pauses between reconnection attempts, the last one repeated


@dataclass(frozen=True)
class DossierEvent:
    id: int  # the dossier (0 in a RESYNC event)
    revision: int  # its revision after the change: the same as before for a lock or a take-away
    action: str  # creation | modification | decision | resync
    by: str  # the login role that made the change

    @classmethod
    def from_payload(cls, payload: str) -> DossierEvent | None:
        try:
            data = json.loads(payload)
            return cls(int(data["id"]), int(data["revision"]), str(data["action"]), str(data.get("by") or ""))
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable notification on %s: %r", CHANNEL, payload)
            return None


class Listener:
    """The listening thread; ``stop()`` ends it within about POLL_SECONDS. Alone (no server):
    a listener that never calls back."""

    def __init__(self, database: Database | None = None,
                 on_change: Callable[[DossierEvent], None] | None = None) -> None:
        self._database = database
        self._on_change = on_change
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        if database is not None and on_change is not None:
            self._thread = threading.Thread(target=self._run, name="achatsdesk-team-events", daemon=True)
            self._thread.start()

    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_listening(self, timeout: float) -> bool:
        """True once LISTEN has been sent (a notification committed after that is delivered)."""
        return self._listening.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # --- the thread -------------------------------------------------------------------
    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                connection = self._connect()
            except Exception as exc:  # noqa: BLE001 - the server is away: try again later, quietly
                log.info("team events: cannot listen (%s), retrying", exc)
                self._pause(failures)
                failures += 1
                continue
            try:
                if failures:
                    self._deliver(DossierEvent(0, 0, RESYNC, ""))
                failures = 0
                self._listen(connection)
            except Exception as exc:  # noqa: BLE001 - the connection dropped: reopen it
                if self._stopping.is_set():
                    break
                log.info("team events: connection lost (%s), reconnecting", exc)
                self._listening.clear()
                self._pause(0)
                failures = 1
            finally:
                _close_quietly(connection)

    def _connect(self):
        """A DBAPI (psycopg 3) connection of its own, made like the engine's (address, password
        from the keyring, timeouts) but out of the pool: it is held for the application's life."""
        pooled = self._database.shared_engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()
        connection.rollback()  # the pool's ping may have opened a transaction
        connection.autocommit = True  # a notification is received outside any transaction
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _listen(self, connection) -> None:
        self._listening.set()
        while not self._stopping.is_set():
            for notify in connection.notifies(timeout=POLL_SECONDS):
                event = DossierEvent.from_payload(notify.payload)
                if event is not None:
                    self._deliver(event)
                if self._stopping.is_set():
                    return
            if connection.closed or connection.broken:
                raise ConnectionError("the listening connection was closed")

    def _deliver(self, event: DossierEvent) -> None:
        try:
            self._on_change(event)
        except Exception:  # a faulty receiver must not end the listening
            log.exception("team events: the receiver of %s failed", event)

    def _pause(self, failures: int) -> None:
        self._stopping.wait(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - it is being given up anyway
        pass


def listen_for_changes(database: Database, on_change: Callable[[DossierEvent], None]) -> Listener:
    """Call ``on_change`` (on a thread of its own) for every change colleagues make on the team
    server; on the local file alone, a listener that does nothing."""
    if not database.is_team or database.shared_engine.dialect.name != "postgresql":
        return Listener()
    return Listener(database, on_change)
