"""The dossier says what kind of contract it is; defence and security become a kind of contract.

Until now "defense_securite" was stored as a kind of buyer. Defence and security
contracts are a kind of contract (Livre III of the code), whoever buys: those
dossiers become contract kind "defense_securite" with the buyer kind "etat",
the buyer of nearly every such contract (the buyer can correct it). Every other
dossier is a "marche". Also: a framework agreement's maximum, what the amount
includes, the AGEC supplies included in works or services, and each lot's
small-lot choice (NULL: not chosen).

Revision ID: 0007_contract_kind
Revises: 0006_supplier_sort_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_contract_kind"
down_revision = "0006_supplier_sort_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns with a default are added in place by SQLite: the rows keep their ids.
    op.add_column("dossier", sa.Column("contract_kind", sa.String(16), nullable=False, server_default="marche"))
    op.add_column("dossier", sa.Column("framework_max_cents", sa.BigInteger(), nullable=True))
    op.add_column("dossier", sa.Column("amount_includes", sa.String(), nullable=False, server_default=""))
    op.add_column("dossier", sa.Column("agec_included_supplies", sa.String(), nullable=False, server_default=""))
    op.add_column("dossier_lot", sa.Column("small_lot", sa.Boolean(), nullable=True))
    op.execute("UPDATE dossier SET contract_kind = 'defense_securite', buyer_kind = 'etat' "
               "WHERE buyer_kind = 'defense_securite'")


def downgrade() -> None:
    op.execute("UPDATE dossier SET buyer_kind = 'defense_securite' WHERE contract_kind = 'defense_securite'")
    with op.batch_alter_table("dossier_lot") as batch:
        batch.drop_column("small_lot")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("agec_included_supplies")
        batch.drop_column("amount_includes")
        batch.drop_column("framework_max_cents")
        batch.drop_column("contract_kind")
