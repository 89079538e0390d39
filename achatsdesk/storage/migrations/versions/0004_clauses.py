"""Tables of the clauses area: the user's own clauses.

Revision ID: 0004_clauses
Revises: 0003_dossiers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_clauses"
down_revision = "0003_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(80), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("based_on", sa.String(80), nullable=True),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_clause"),
        sa.UniqueConstraint("clause_id", name="uq_user_clause_clause_id"),
    )


def downgrade() -> None:
    op.drop_table("user_clause")
