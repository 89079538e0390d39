"""Dossiers go to a Corbeille before they are deleted: the date they were put there.

A deleted dossier is kept, hidden from the list, with ``deleted_at`` set; it can be
restored, and is deleted for good 30 days later (services/trash.py).

Revision ID: 0008_trash
Revises: 0006_supplier_sort_keys (the lead re-chains the revisions of this session)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_trash"
down_revision = "0007_contract_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column is added in place by SQLite: existing dossiers are not in the Corbeille.
    op.add_column("dossier", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.create_index("ix_dossier_deleted_at", "dossier", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_dossier_deleted_at", table_name="dossier")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("deleted_at")
