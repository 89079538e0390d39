"""Foundation: reference data (CPV, NAF, communes, départements, régions).

Revision ID: 0001_foundation
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from achatsdesk.storage.migrations.local_only import execute_on_sqlite

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cpv",
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("code8", sa.String(8), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_code", sa.String(10), nullable=True),
        sa.Column("division", sa.String(2), nullable=False),
        sa.Column("label_fr", sa.String(), nullable=False),
        sa.Column("label_en", sa.String(), nullable=False),
        sa.Column("nature", sa.String(12), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_cpv"),
        sa.UniqueConstraint("code8", name="uq_cpv_code8"),
    )
    op.create_index("ix_cpv_parent_code", "cpv", ["parent_code"])
    op.create_index("ix_cpv_division", "cpv", ["division"])
    op.create_table(
        "naf",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("parent_code", sa.String(8), nullable=True),
        sa.Column("section", sa.String(1), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_naf"),
    )
    op.create_table(
        "region",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_region"),
    )
    op.create_table(
        "departement",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name="fk_departement_region_code_region"),
        sa.PrimaryKeyConstraint("code", name="pk_departement"),
    )
    op.create_table(
        "commune",
        sa.Column("insee", sa.String(5), nullable=False),
        sa.Column("kind", sa.String(3), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_folded", sa.String(), nullable=False),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("postcodes", sa.String(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("parent_insee", sa.String(5), nullable=True),
        sa.PrimaryKeyConstraint("insee", name="pk_commune"),
    )
    op.create_index("ix_commune_name_folded", "commune", ["name_folded"])
    op.create_index("ix_commune_departement_code", "commune", ["departement_code"])
    op.create_table(
        "commune_postcode",
        sa.Column("postcode", sa.String(5), nullable=False),
        sa.Column("insee", sa.String(5), nullable=False),
        sa.ForeignKeyConstraint(["insee"], ["commune.insee"], name="fk_commune_postcode_insee_commune"),
        sa.PrimaryKeyConstraint("postcode", "insee", name="pk_commune_postcode"),
    )
    op.create_table(
        "reference_dataset",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_reference_dataset"),
    )
    # Full-text index over CPV labels; accents folded by the tokenizer.
    execute_on_sqlite(
        "CREATE VIRTUAL TABLE cpv_fts USING fts5("
        "code UNINDEXED, label_fr, label_en, tokenize='unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    execute_on_sqlite("DROP TABLE cpv_fts")
    for table in ("reference_dataset", "commune_postcode", "commune", "departement", "region", "naf", "cpv"):
        op.drop_table(table)
