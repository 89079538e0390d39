"""Does a database's structure match the revision stamped in it?

A database whose alembic_version says one revision while its tables belong to
another was half-upgraded (by a version of achatsdesk from before
transactional migrations, or by hand). The shape compared is the set of
tables with their column names, indexes, views and triggers; the expected
shape of a revision is read from an empty database migrated to it, built once
per process.
"""

from __future__ import annotations

import functools
import sqlite3
import tempfile
from pathlib import Path

Shape = frozenset[tuple[str, str, tuple[str, ...]]]


def read_shape(conn: sqlite3.Connection) -> Shape:
    shape: set[tuple[str, str, tuple[str, ...]]] = set()
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
    ).fetchall()
    for kind, name, table in rows:
        if kind == "table":
            columns = tuple(sorted(row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')))
            shape.add((kind, name, columns))
        else:
            shape.add((kind, name, (table,)))
    return frozenset(shape)


def shape_of(db_path: Path) -> Shape:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return read_shape(conn)
    finally:
        conn.close()


@functools.cache
def expected_shape(revision: str) -> Shape:
    from achatsdesk.storage.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="achatsdesk-shape-") as folder:
        path = Path(folder) / "reference.sqlite3"
        upgrade_to_head(path, target=revision)
        return shape_of(path)


def shape_differences(db_path: Path, revision: str) -> list[str]:
    """What the database has or lacks compared with ``revision`` (empty when they agree), for the log."""
    actual, expected = shape_of(db_path), expected_shape(revision)
    extra = sorted(f"en trop : {kind} {name} {cols}" for kind, name, cols in actual - expected)
    missing = sorted(f"manquant : {kind} {name} {cols}" for kind, name, cols in expected - actual)
    return missing + extra
