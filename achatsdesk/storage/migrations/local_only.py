"""What only the local SQLite store has: FTS5 text indexes and R*Tree maps.

The same migration chain runs on the team's PostgreSQL server, where the
catalogue and reference tables exist but stay empty (each workstation searches
its own local copy), so these statements are skipped there.
"""

from __future__ import annotations

from alembic import op


def on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def execute_on_sqlite(statement: str) -> None:
    if on_sqlite():
        op.execute(statement)
