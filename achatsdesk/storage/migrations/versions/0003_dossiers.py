"""Tables of the dossiers area.

Revision ID: 0003_dossiers
Revises: 0002_catalogue
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003_dossiers"
down_revision = "0002_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
