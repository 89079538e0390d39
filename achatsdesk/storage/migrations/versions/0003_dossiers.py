"""Tables of the dossiers area: dossier, dossier_cpv, dossier_lot, dossier_item,
dossier_clause, dossier_review (kept in exact agreement with storage/models/dossiers.py).

dossier.shortlist_id refers to shortlist.id (catalogue area) without a foreign key.

Revision ID: 0003_dossiers
Revises: 0002_catalogue
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_dossiers"
down_revision = "0002_catalogue"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=f"fk_{table}_dossier_id_dossier", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "dossier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("buyer_name", sa.String(), nullable=False),
        sa.Column("buyer_kind", sa.String(24), nullable=False),
        sa.Column("buyer_annual_purchases_cents", sa.BigInteger(), nullable=True),
        sa.Column("nature", sa.String(12), nullable=False),
        sa.Column("estimated_amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("place_insee", sa.String(5), nullable=True),
        sa.Column("launch_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=True),
        sa.Column("shortlist_snapshot", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dossier"),
        sa.UniqueConstraint("uid", name="uq_dossier_uid"),
    )
    op.create_index("ix_dossier_status", "dossier", ["status"])
    op.create_table(
        "dossier_cpv",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        _fk("dossier_cpv"),
        sa.PrimaryKeyConstraint("dossier_id", "position", name="pk_dossier_cpv"),
    )
    op.create_table(
        "dossier_lot",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("cpv", sa.String(10), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        _fk("dossier_lot"),
        sa.PrimaryKeyConstraint("dossier_id", "position", name="pk_dossier_lot"),
    )
    op.create_table(
        "dossier_item",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("exemption_case", sa.String(64), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        _fk("dossier_item"),
        sa.PrimaryKeyConstraint("dossier_id", "item_id", name="pk_dossier_item"),
    )
    op.create_table(
        "dossier_clause",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(128), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("variables_json", sa.Text(), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=True),
        _fk("dossier_clause"),
        sa.PrimaryKeyConstraint("dossier_id", "position", name="pk_dossier_clause"),
    )
    op.create_table(
        "dossier_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        _fk("dossier_review"),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_review"),
    )
    op.create_index("ix_dossier_review_dossier_id", "dossier_review", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_dossier_review_dossier_id", table_name="dossier_review")
    for table in ("dossier_review", "dossier_clause", "dossier_item", "dossier_lot", "dossier_cpv"):
        op.drop_table(table)
    op.drop_index("ix_dossier_status", table_name="dossier")
    op.drop_table("dossier")
