"""Suppliers keep their sort keys: name and commune folded (accents and case), indexed.

Sorting the catalogue by name folded each row at query time: a few tenths of a
second at 300 000 suppliers, and the unfiltered list sorted by raw name
(capitals first, accented letters last). Existing rows are filled here.

Revision ID: 0006_supplier_sort_keys
Revises: 0005_insertion_sizing
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from achatsdesk.domain.text import fold
from achatsdesk.storage.migrations.local_only import on_sqlite

revision = "0006_supplier_sort_keys"
down_revision = "0005_insertion_sizing"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place: the table (and the ids the
    # FTS5 and R*Tree indexes point at) stays as it is.
    op.add_column("supplier", sa.Column("sort_name", sa.String(), nullable=False, server_default=""))
    op.add_column("supplier", sa.Column("sort_commune", sa.String(), nullable=False, server_default=""))
    conn = op.get_bind()
    last_id = 0
    # The server's catalogue table is empty (the catalogue is searched locally): nothing to fold there.
    while on_sqlite():  # in batches: an imported catalogue may hold hundreds of thousands of rows
        rows = conn.exec_driver_sql(
            "SELECT id, name, commune FROM supplier WHERE id > ? ORDER BY id LIMIT ?", (last_id, _BATCH)
        ).all()
        if not rows:
            break
        conn.exec_driver_sql(
            "UPDATE supplier SET sort_name = ?, sort_commune = ? WHERE id = ?",
            [(fold(name or ""), fold(commune or ""), id_) for id_, name, commune in rows],
        )
        last_id = rows[-1][0]
    op.create_index("ix_supplier_sort_name", "supplier", ["sort_name"])
    op.create_index("ix_supplier_sort_commune", "supplier", ["sort_commune"])


def downgrade() -> None:
    op.drop_index("ix_supplier_sort_commune", table_name="supplier")
    op.drop_index("ix_supplier_sort_name", table_name="supplier")
    with op.batch_alter_table("supplier") as batch:
        batch.drop_column("sort_commune")
        batch.drop_column("sort_name")
