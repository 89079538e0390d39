"""Tables of the catalogue area: sectors, suppliers, shortlists, FTS5 and R*Tree indexes.

Revision ID: 0002_catalogue
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from achatsdesk.storage.migrations.local_only import execute_on_sqlite

revision = "0002_catalogue"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sector_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sector_group"),
        sa.UniqueConstraint("slug", name="uq_sector_group_slug"),
    )
    op.create_table(
        "sector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["sector_group.id"], name="fk_sector_group_id_sector_group"),
        sa.PrimaryKeyConstraint("id", name="pk_sector"),
        sa.UniqueConstraint("slug", name="uq_sector_slug"),
    )
    op.create_index("ix_sector_group_id", "sector", ["group_id"])
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_key", sa.String(), nullable=False),
        sa.Column("siret", sa.String(14), nullable=True),
        sa.Column("siret_valid", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("brand", sa.String(), nullable=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("legal_form", sa.String(), nullable=True),
        sa.Column("naf", sa.String(6), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("postcode", sa.String(5), nullable=True),
        sa.Column("commune", sa.String(), nullable=True),
        sa.Column("insee", sa.String(5), nullable=True),
        sa.Column("departement", sa.String(3), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("geo_precision", sa.String(8), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("source_date", sa.String(10), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_supplier"),
        sa.UniqueConstraint("match_key", name="uq_supplier_match_key"),
    )
    op.create_index("ix_supplier_siret", "supplier", ["siret"])
    op.create_index("ix_supplier_kind", "supplier", ["kind"])
    op.create_index("ix_supplier_departement", "supplier", ["departement"])
    op.create_table(
        "supplier_sector",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name="fk_supplier_sector_supplier_id_supplier", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["sector_id"], ["sector.id"], name="fk_supplier_sector_sector_id_sector"),
        sa.PrimaryKeyConstraint("supplier_id", "sector_id", name="pk_supplier_sector"),
    )
    op.create_index("ix_supplier_sector_sector_id", "supplier_sector", ["sector_id"])
    op.create_table(
        "shortlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(19), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shortlist"),
        sa.UniqueConstraint("name", name="uq_shortlist_name"),
    )
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
    # Text index: folded accents, prefix indexes (1 to 4 letters) so that typing "e", "emm" is fast. The `cells`
    # column holds map-grid tokens (see catalogue/upsert.py geo_cells) so that text and
    # place are intersected inside FTS5 rather than row by row.
    execute_on_sqlite(
        "CREATE VIRTUAL TABLE supplier_fts USING fts5("
        "name, brand, commune, sectors, cells, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4')"
    )
    execute_on_sqlite("CREATE VIRTUAL TABLE supplier_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)")


def downgrade() -> None:
    execute_on_sqlite("DROP TABLE supplier_rtree")
    execute_on_sqlite("DROP TABLE supplier_fts")
    for table in ("shortlist_item", "shortlist", "supplier_sector", "supplier", "sector", "sector_group"):
        op.drop_table(table)
