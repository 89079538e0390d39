"""Tables of the clauses area.

Revision ID: 0004_clauses
Revises: 0003_dossiers
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_clauses"
down_revision = "0003_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
