"""After the award: awards per lot, realised figures per clause and period, the AGEC
spend per category, and the awarded public contracts read from DECP files.

New tables only: nothing existing is rewritten.

Revision ID: 0010_execution
Revises: 0006_supplier_sort_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_execution"
down_revision = "0009_search_speed"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=f"fk_{table}_dossier_id_dossier", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "dossier_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=False),
        sa.Column("holder_siret", sa.String(14), nullable=False),
        sa.Column("holder_name", sa.String(), nullable=False),
        sa.Column("holder_kind", sa.String(8), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("offers_received", sa.Integer(), nullable=True),
        sa.Column("procedure", sa.String(16), nullable=False),
        sa.Column("status_before", sa.String(12), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("dossier_award"),
        sa.PrimaryKeyConstraint("id", name="pk_dossier_award"),
        sa.UniqueConstraint("dossier_id", "lot", name="uq_dossier_award_dossier_id"),
    )
    op.create_index("ix_dossier_award_dossier_id", "dossier_award", ["dossier_id"])
    op.create_index("ix_dossier_award_holder_siret", "dossier_award", ["holder_siret"])
    op.create_table(
        "execution_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(128), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("value_hundredths", sa.BigInteger(), nullable=False),
        sa.Column("beneficiaries_json", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _fk("execution_figure"),
        sa.PrimaryKeyConstraint("id", name="pk_execution_figure"),
        sa.UniqueConstraint("dossier_id", "clause_id", "lot", "period", name="uq_execution_figure_dossier_id"),
    )
    op.create_index("ix_execution_figure_dossier_id", "execution_figure", ["dossier_id"])
    op.create_table(
        "agec_spend",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("reuse_cents", sa.BigInteger(), nullable=False),
        sa.Column("donation_cents", sa.BigInteger(), nullable=False),
        sa.Column("recycled_cents", sa.BigInteger(), nullable=False),
        _fk("agec_spend"),
        sa.PrimaryKeyConstraint("id", name="pk_agec_spend"),
        sa.UniqueConstraint("dossier_id", "lot", "year", "category", name="uq_agec_spend_dossier_id"),
    )
    op.create_index("ix_agec_spend_dossier_id", "agec_spend", ["dossier_id"])
    op.create_table(
        "public_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_key", sa.String(48), nullable=False),
        sa.Column("uid", sa.String(80), nullable=False),
        sa.Column("buyer_siret", sa.String(14), nullable=False),
        sa.Column("buyer_name", sa.String(), nullable=False),
        sa.Column("holder_siret", sa.String(14), nullable=False),
        sa.Column("nature", sa.String(16), nullable=False),
        sa.Column("cpv", sa.String(10), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("procedure", sa.String(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("offers_received", sa.Integer(), nullable=True),
        sa.Column("social", sa.String(), nullable=False),
        sa.Column("environmental", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_public_contract"),
        sa.UniqueConstraint("row_key", name="uq_public_contract_row_key"),
    )
    op.create_index("ix_public_contract_buyer_siret", "public_contract", ["buyer_siret"])
    op.create_index("ix_public_contract_holder_siret", "public_contract", ["holder_siret"])


def downgrade() -> None:
    for table in ("public_contract", "agec_spend", "execution_figure", "dossier_award"):
        op.drop_table(table)
