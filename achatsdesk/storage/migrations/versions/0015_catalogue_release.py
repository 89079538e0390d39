"""The organisation's catalogue releases, published on the team server for every workstation.

A new table only. It exists in the local file too (same chain on both engines),
where it stays empty: alone, there is nobody to publish to.

Revision ID: 0015_catalogue_release
Revises: 0014_offline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_catalogue_release"
down_revision = "0014_offline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_release",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        sa.Column("suppliers", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_catalogue_release"),
    )


def downgrade() -> None:
    op.drop_table("catalogue_release")
