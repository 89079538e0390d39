"""Dossiers taken away offline: what the local store remembers of each.

A dossier taken away from the team server is copied into the local file's
dossier tables (same uid); ``offline_take`` keeps, beside it, the server's id
and revision it started from and the dossier as it was then (the base of the
three-way comparison when it is brought back: services/offline.py). The table
is created on both engines to keep one chain; it stays empty on the server.

Revision ID: 0014_offline
Revises: 0012_search_tokens
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_offline"
down_revision = "0012_search_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_take",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("local_dossier_id", sa.Integer(), nullable=False),
        sa.Column("server_dossier_id", sa.Integer(), nullable=False),
        sa.Column("server_label", sa.String(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("base_json", sa.Text(), nullable=False),
        sa.Column("taken_by", sa.String(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offline_take"),
        sa.UniqueConstraint("uid", name="uq_offline_take_uid"),
    )
    op.create_index("ix_offline_take_local_dossier_id", "offline_take", ["local_dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_offline_take_local_dossier_id", table_name="offline_take")
    op.drop_table("offline_take")
