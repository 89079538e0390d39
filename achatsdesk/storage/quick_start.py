"""Can the window show the user's dossiers before SQLAlchemy is even imported?

At most starts nothing needs writing: the schema is at head and the shipped
data are the ones the database holds. A plain sqlite3 connection is then
enough to list the dossiers, and the ORM (a third of a second to import on a
modest laptop) is opened after the window's first paint. Anything else (no
database yet, a migration due, new shipped data, a newer or unreadable
database) gives None: the full open decides, with its backup and its French
messages.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from achatsdesk.errors import AchatsdeskError
from achatsdesk.storage.schema_revision import current_revision, head_revision
from achatsdesk.storage.shipped_data import shipped_versions

log = logging.getLogger(__name__)


def open_reader(db_path: Path, data_dir: Path, versions_cache: Path | None = None) -> sqlite3.Connection | None:
    """A read-only connection when the database needs no change at start-up, else None.

    ``versions_cache`` keeps the shipped files' fingerprints between starts (see shipped_versions).
    The quick start is only a shortcut: whatever goes wrong here, the full open runs instead.
    """
    try:
        return _open_reader(db_path, data_dir, versions_cache)
    except Exception:  # noqa: BLE001 - a shortcut must never stop the start; the log keeps the cause
        log.warning("Quick start check failed, full open instead", exc_info=True)
        return None


def _open_reader(db_path: Path, data_dir: Path, versions_cache: Path | None) -> sqlite3.Connection | None:
    try:
        if not db_path.is_file() or current_revision(db_path) != head_revision():
            return None
        expected = shipped_versions(data_dir, versions_cache)
        connection = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True)
    except (AchatsdeskError, sqlite3.Error, OSError) as exc:
        log.info("Quick start not possible, full open: %s", exc)
        return None
    try:
        connection.execute("PRAGMA query_only = ON")  # this connection only ever reads
        connection.execute("PRAGMA busy_timeout = 5000")
        stored = dict(connection.execute("SELECT name, version FROM reference_dataset"))
    except sqlite3.Error as exc:
        log.info("Quick start not possible, full open: %s", exc)
        connection.close()
        return None
    if any(stored.get(name) != version for name, version in expected.items()):
        connection.close()
        return None
    return connection
