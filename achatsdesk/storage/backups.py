"""Copies of the database in the backups folder: made, listed, pruned, restored.

Three kinds, told apart by their file names (the date is in the name, so that
pruning never depends on file times a copy or a sync tool may change):

- ``<base>-avant-<cible>.sqlite3``: before a schema upgrade to revision
  <cible>. One per target revision, however many attempts: a later attempt
  keeps the first copy, the state before any attempt. (Versions before
  0.2 wrote ``<base>-AAAAMMJJ-HHMMSS-ffffff-<revision>.sqlite3`` at every
  attempt; they are still found, and only the newest per revision is kept.)
- ``<base>-quotidienne-AAAA-MM-JJ.sqlite3``: at most one a day, on close.
- ``<base>-avant-import-AAAA-MM-JJ-HHMMSS.sqlite3``: before an import that adds
  more than ``IMPORT_BACKUP_ROWS`` rows.

Pruning rule (docs/backups.md): the pre-upgrade copies of the
``UPGRADE_BACKUPS_KEPT`` most recent target revisions are kept (of the old
per-attempt copies, the newest per revision); daily and
pre-import copies are kept ``keep_days`` days (a setting, default
``DEFAULT_KEEP_DAYS``), and the newest of them is always kept whatever its age.
Copies a restore set aside (``-remplacee-``) are never deleted automatically.

Every copy is made with sqlite3's online backup API (consistent while the
database is open, WAL included) into a temporary file renamed at the end: a
killed backup never leaves a half copy under a backup's name.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from achatsdesk.errors import StorageError
from achatsdesk.private_files import make_private

log = logging.getLogger(__name__)

DEFAULT_KEEP_DAYS = 14
UPGRADE_BACKUPS_KEPT = 3
IMPORT_BACKUP_ROWS = 10_000

_UPGRADE = re.compile(r"^(?P<base>.+)-avant-(?P<target>\d{4}_\w+)\.sqlite3$")
_LEGACY = re.compile(r"^(?P<base>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<source>\w+)\.sqlite3$")
_DAILY = re.compile(r"^(?P<base>.+)-quotidienne-(?P<day>\d{4}-\d{2}-\d{2})\.sqlite3$")
_IMPORT = re.compile(r"^(?P<base>.+)-avant-import-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # "mise-a-jour" | "quotidienne" | "import"
    made: datetime
    source_revision: str | None = None  # pre-upgrade copies: the revision copied
    target_revision: str | None = None

    @property
    def label(self) -> str:
        when = self.made.strftime("%d/%m/%Y à %H:%M")
        kinds = {"mise-a-jour": "avant la mise à jour", "quotidienne": "quotidienne", "import": "avant un import"}
        return f"sauvegarde {kinds[self.kind]} du {when} (« {self.path.name} »)"


def online_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with the online backup API, atomically, private (0600)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".~achatsdesk-{target.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(temporary)
        try:
            reader.backup(writer)
            # A standalone file: no WAL beside it to lose when it is copied by hand.
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    finally:
        reader.close()
    make_private(temporary)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    return target


def list_backups(backups_dir: Path, base: str) -> list[Backup]:
    """Every backup of the database named ``base``, newest first."""
    found: list[Backup] = []
    if not backups_dir.is_dir():
        return found
    for path in backups_dir.glob(f"{base}-*.sqlite3"):
        if match := _UPGRADE.match(path.name):
            if match["base"] == base:
                made = datetime.fromtimestamp(path.stat().st_mtime)
                found.append(Backup(path, "mise-a-jour", made, stamped_revision(path), match["target"]))
        elif match := _LEGACY.match(path.name):
            if match["base"] == base:
                made = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
                found.append(Backup(path, "mise-a-jour", made, match["source"], None))
        elif match := _DAILY.match(path.name):
            if match["base"] == base:
                found.append(Backup(path, "quotidienne", datetime.strptime(match["day"], "%Y-%m-%d")))
        elif (match := _IMPORT.match(path.name)) and match["base"] == base:
            found.append(Backup(path, "import", datetime.strptime(match["stamp"], "%Y-%m-%d-%H%M%S")))
    return sorted(found, key=lambda backup: backup.made, reverse=True)


def stamped_revision(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def pre_upgrade_backup(db_path: Path, backups_dir: Path, target: str) -> Path:
    """The copy made before upgrading to ``target``: made once, kept for the next attempts."""
    path = backups_dir / f"{db_path.stem}-avant-{target}.sqlite3"
    if path.is_file() and readable_backup(path):
        log.info("Keeping the backup made before an earlier attempt: %s", path)
        return path
    online_copy(db_path, path)
    log.info("Database backed up to %s before upgrading to %s", path, target)
    prune_upgrade_backups(backups_dir, db_path.stem)
    return path


def find_pre_upgrade_backup(db_path: Path, backups_dir: Path, source: str) -> Backup | None:
    """The newest pre-upgrade copy of the database at revision ``source``."""
    for backup in list_backups(backups_dir, db_path.stem):
        if backup.kind == "mise-a-jour" and backup.source_revision == source and readable_backup(backup.path):
            return backup
    return None


def prune_upgrade_backups(backups_dir: Path, base: str) -> list[Path]:
    upgrades = [b for b in list_backups(backups_dir, base) if b.kind == "mise-a-jour"]
    targets = sorted({b.target_revision for b in upgrades if b.target_revision}, reverse=True)
    kept = set(targets[:UPGRADE_BACKUPS_KEPT])
    removed = [b.path for b in upgrades if b.target_revision and b.target_revision not in kept]
    newest_legacy: set[str | None] = set()
    for backup in upgrades:  # newest first: older per-attempt copies of the same revision go
        if backup.target_revision is None:
            if backup.source_revision in newest_legacy:
                removed.append(backup.path)
            newest_legacy.add(backup.source_revision)
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("Old pre-upgrade backup removed: %s", path)
    return removed


def prune_rolling_backups(backups_dir: Path, base: str, today: date, keep_days: int) -> list[Path]:
    rolling = [b for b in list_backups(backups_dir, base) if b.kind in ("quotidienne", "import")]
    limit = today - timedelta(days=max(keep_days, 1))
    removed = [b.path for b in rolling[1:] if b.made.date() < limit]  # the newest one always stays
    for path in removed:
        path.unlink(missing_ok=True)
        log.info("Backup older than %s days removed: %s", keep_days, path)
    return removed


def daily_backup(db_path: Path, backups_dir: Path, *, now: datetime | None = None,
                 keep_days: int = DEFAULT_KEEP_DAYS) -> Path | None:
    """Today's rolling backup if none was made today (None when one exists), then prune old ones."""
    now = now or datetime.now()
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    path = backups_dir / f"{db_path.stem}-quotidienne-{now:%Y-%m-%d}.sqlite3"
    made = None
    if not path.exists():
        made = online_copy(db_path, path)
        log.info("Daily backup made: %s", path)
    prune_rolling_backups(backups_dir, db_path.stem, now.date(), keep_days)
    return made


def import_backup(db_path: Path, backups_dir: Path, *, now: datetime | None = None,
                  keep_days: int = DEFAULT_KEEP_DAYS) -> Path:
    """A copy before a big import (more than IMPORT_BACKUP_ROWS rows)."""
    now = now or datetime.now()
    path = online_copy(db_path, backups_dir / f"{db_path.stem}-avant-import-{now:%Y-%m-%d-%H%M%S}.sqlite3")
    log.info("Backup made before a large import: %s", path)
    prune_rolling_backups(backups_dir, db_path.stem, now.date(), keep_days)
    return path


def readable_backup(path: Path) -> bool:
    """A backup we may restore: an SQLite file with a schema stamp that passes quick_check."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return False
        return conn.execute("SELECT version_num FROM alembic_version").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def latest_good_backup(db_path: Path, backups_dir: Path) -> Backup | None:
    for backup in list_backups(backups_dir, db_path.stem):
        if readable_backup(backup.path):
            return backup
    return None


def set_aside(db_path: Path, backups_dir: Path, why: str, now: datetime | None = None) -> Path | None:
    """Move the database (and its WAL) out of the way, into the backups folder; never deleted."""
    if not db_path.exists():
        return None
    now = now or datetime.now()
    kept = backups_dir / f"{db_path.stem}-{why}-{now:%Y-%m-%d-%H%M%S}.sqlite3"
    backups_dir.mkdir(parents=True, exist_ok=True)
    os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists():
            if suffix == "-wal":
                os.replace(companion, kept.with_name(kept.name + suffix))
            else:
                companion.unlink()
    return kept


def restore_backup(db_path: Path, backups_dir: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of the database; the database it replaces is set aside, not deleted.

    Returns where the replaced database was kept. Nothing is touched when the
    backup itself is unreadable.
    """
    if not readable_backup(backup):
        raise StorageError(
            f"La sauvegarde « {backup.name} » est illisible ou endommagée : elle n'a pas été restaurée.",
            hint="Choisissez une autre sauvegarde du dossier « backups ».",
        )
    staged = db_path.with_name(f".~achatsdesk-restore-{db_path.name}.tmp")
    online_copy(backup, staged)
    kept = set_aside(db_path, backups_dir, "remplacee")
    os.replace(staged, db_path)
    log.warning("Database restored from %s (the replaced one kept as %s)", backup, kept)
    return kept
