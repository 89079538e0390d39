"""The dossier keeps the buyer's insertion-sizing factors (JSON text, NULL = defaults).

Revision ID: 0005_insertion_sizing
Revises: 0004_clauses
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_insertion_sizing"
down_revision = "0004_clauses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a table in place beyond a few cases.
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("insertion_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("insertion_json")
