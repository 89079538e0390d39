"""Shortlists the team shares: a list names its suppliers by their catalogue key, not by a local id.

A list's line used to be (list, supplier.id): an id of this workstation's catalogue,
which means nothing on a colleague's, and a foreign key to the supplier table kept the
lists on the local file. A line now names the supplier by ``match_key`` (``siret|kind``,
or the no-SIRET key of storage/models/catalogue.py: the same on every workstation that
loaded the same data) with the fields a colleague needs to read it when their own
catalogue lacks it (name, SIRET, kind, commune, postcode, source and its date). The lists
then live where the dossiers do (``SHARED_TABLES``): on the team server when connected.

The existing lines are copied with their supplier's key and fields, in the same
transaction as the rest of the upgrade.

Revision ID: 0016_shared_shortlists
Revises: 0015_catalogue_release
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_shared_shortlists"
down_revision = "0015_catalogue_release"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shortlist_entry",
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("match_key", sa.String(), nullable=False),
        sa.Column("siret", sa.String(14), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("commune", sa.String(), nullable=True),
        sa.Column("postcode", sa.String(5), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("source_date", sa.String(10), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("added_at", sa.String(19), nullable=False),
        sa.ForeignKeyConstraint(
            ["shortlist_id"], ["shortlist.id"], name="fk_shortlist_entry_shortlist_id_shortlist", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("shortlist_id", "match_key", name="pk_shortlist_entry"),
    )
    op.execute(
        "INSERT INTO shortlist_entry (shortlist_id, match_key, siret, name, kind, commune, postcode, source, "
        "source_date, note, added_at) "
        "SELECT i.shortlist_id, s.match_key, s.siret, s.name, s.kind, s.commune, s.postcode, s.source, "
        "s.source_date, i.note, i.added_at FROM shortlist_item AS i JOIN supplier AS s ON s.id = i.supplier_id"
    )
    op.drop_table("shortlist_item")


def downgrade() -> None:
    # Back to local ids: a line whose supplier this catalogue does not hold cannot be kept.
    op.create_table(
        "shortlist_item",
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("added_at", sa.String(19), nullable=False),
        sa.ForeignKeyConstraint(
            ["shortlist_id"], ["shortlist.id"], name="fk_shortlist_item_shortlist_id_shortlist", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name="fk_shortlist_item_supplier_id_supplier", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("shortlist_id", "supplier_id", name="pk_shortlist_item"),
    )
    op.execute(
        "INSERT INTO shortlist_item (shortlist_id, supplier_id, note, added_at) "
        "SELECT e.shortlist_id, s.id, e.note, e.added_at FROM shortlist_entry AS e "
        "JOIN supplier AS s ON s.match_key = e.match_key"
    )
    op.drop_table("shortlist_entry")
