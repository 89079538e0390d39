"""SQLite's own checks of the database file, and salvage of a damaged one.

``quick_check`` (at every full start, on the opening worker: about 40 ms for
the shipped data, 0.15 s at 100 000 suppliers) and ``integrity_check`` (in
``achatsdesk-cli doctor``, which also compares indexes with their tables).

``salvage`` writes what can still be read into a new file: with the sqlite3
shell's ``.recover`` when it is installed and its result passes the checks,
else table by table into an empty database at the same schema revision,
reading rows in rowid ranges and skipping (and counting) those on unreadable
pages.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_RANGE = 1000
_MAX_FAILED_RANGES = 200  # past the last readable row: give up the table


def _check(db_path: Path, pragma: str, limit: int) -> list[str]:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = conn.execute(f"PRAGMA {pragma}({limit})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    problems = [row[0] for row in rows]
    return [] if problems == ["ok"] else problems


def quick_check(db_path: Path) -> list[str]:
    """SQLite's quick_check: [] when the file is sound, else its first problems (English, for the log)."""
    return _check(db_path, "quick_check", 20)


def integrity_check(db_path: Path) -> list[str]:
    return _check(db_path, "integrity_check", 20)


def is_damage(exc: BaseException) -> bool:
    """Does this sqlite3 error say that the file itself is damaged?"""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "disk image" in text or "corrupt" in text
    )


@dataclass(frozen=True)
class SalvageOutcome:
    path: Path
    method: str  # "sqlite3 .recover" | "copie table par table"
    rows_copied: int
    rows_lost: int


def _stamped_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def salvage(damaged: Path, target: Path) -> SalvageOutcome:
    """Copy what can be read from ``damaged`` into the new file ``target`` (which must not exist)."""
    if shutil.which("sqlite3"):
        outcome = _recover_with_shell(damaged, target)
        if outcome is not None:
            return outcome
    return _copy_tables(damaged, target)


def _recover_with_shell(damaged: Path, target: Path) -> SalvageOutcome | None:
    from achatsdesk.storage.schema_shape import shape_differences

    try:
        dump = subprocess.run(["sqlite3", str(damaged), ".recover"], capture_output=True, timeout=600, check=False)
        if dump.returncode != 0 or not dump.stdout:
            return None
        load = subprocess.run(["sqlite3", str(target)], input=dump.stdout, capture_output=True, timeout=600,
                              check=False)
        if load.returncode != 0:
            raise OSError(load.stderr.decode(errors="replace")[:500])
        conn = sqlite3.connect(target)
        try:
            lost = 0
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'lost_and_found'").fetchone():
                lost = conn.execute("SELECT count(*) FROM lost_and_found").fetchone()[0]
                conn.execute("DROP TABLE lost_and_found")
                conn.commit()
            revision = _stamped_revision(conn)
            copied = sum(
                conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' "
                    "AND name NOT LIKE '%\\_rtree\\_%' ESCAPE '\\'"
                ).fetchall()
            )
        finally:
            conn.close()
        if revision is None or integrity_check(target) or shape_differences(target, revision):
            raise OSError("the recovered database is not a sound achatsdesk database")
        return SalvageOutcome(target, "sqlite3 .recover", copied, lost)
    except (OSError, sqlite3.Error, subprocess.SubprocessError) as exc:
        log.warning("sqlite3 .recover did not give a usable database (%s): copying table by table", exc)
        for path in (target, target.with_name(target.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return None


def _copy_tables(damaged: Path, target: Path) -> SalvageOutcome:
    from achatsdesk.storage.migrate import head_revision, known_revisions, upgrade_to_head

    source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    try:
        revision = _stamped_revision(source)
        if revision not in known_revisions():
            revision = head_revision()
        upgrade_to_head(target, target=revision)
        dest = sqlite3.connect(target)
        try:
            dest.execute("PRAGMA foreign_keys=OFF")  # rows whose parent was lost are kept, not refused
            copied = lost = 0
            for table, columns in _tables_to_copy(dest):
                try:
                    old_columns = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
                except sqlite3.DatabaseError:
                    old_columns = set()
                shared = [c for c in columns if c in old_columns]
                if not shared:
                    continue
                done, missed = _copy_one_table(source, dest, table, shared)
                copied += done
                lost += missed
                dest.commit()
        finally:
            dest.close()
    finally:
        source.close()
    return SalvageOutcome(target, "copie table par table", copied, lost)


def _tables_to_copy(dest: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    rows = dest.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version'"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    tables = []
    for name, _sql in rows:
        if any(name.startswith(v + "_") for v in virtual):
            continue  # FTS5 / R*Tree shadow tables fill themselves from their virtual table
        columns = [row[1] for row in dest.execute(f'PRAGMA table_info("{name}")')]
        tables.append((name, columns))
    return tables


def _copy_one_table(source: sqlite3.Connection, dest: sqlite3.Connection, table: str,
                    columns: list[str]) -> tuple[int, int]:
    names = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT rowid, {names} FROM "{table}"'
    insert = f'INSERT OR IGNORE INTO "{table}" (rowid, {names}) VALUES ({", ".join("?" * (len(columns) + 1))})'
    copied = lost = 0
    low, failed_ranges = _first_rowid(source, table), 0
    if low is None:
        return 0, 0
    while failed_ranges < _MAX_FAILED_RANGES:
        high = low + _RANGE
        try:
            rows = source.execute(f"{select} WHERE rowid >= ? AND rowid < ?", (low, high)).fetchall()
        except sqlite3.DatabaseError:
            rows, missed = _rows_one_by_one(source, select, low, high)
            lost += missed
            failed_ranges += 1
        else:
            if not rows and _nothing_after(source, table, high):
                break
            failed_ranges = 0
        dest.executemany(insert, rows)
        copied += len(rows)
        low = high
    return copied, lost


def _first_rowid(source: sqlite3.Connection, table: str) -> int | None:
    try:
        row = source.execute(f'SELECT min(rowid) FROM "{table}"').fetchone()
    except sqlite3.DatabaseError:
        return 0
    return None if row[0] is None else int(row[0])


def _nothing_after(source: sqlite3.Connection, table: str, rowid: int) -> bool:
    try:
        return source.execute(f'SELECT 1 FROM "{table}" WHERE rowid >= ? LIMIT 1', (rowid,)).fetchone() is None
    except sqlite3.DatabaseError:
        return False


def _rows_one_by_one(source: sqlite3.Connection, select: str, low: int, high: int) -> tuple[list, int]:
    rows, lost = [], 0
    for rowid in range(low, high):
        try:
            row = source.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            lost += 1
            continue
        if row is not None:
            rows.append(row)
    return rows, lost
