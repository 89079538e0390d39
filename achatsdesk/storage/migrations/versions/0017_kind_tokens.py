"""The supplier's kind in the text index, beside its map-grid token.

A search of words around a place with a kind filter ("ass", EI, within 30 km)
met the words and the place inside the text index, then looked up every match
in the supplier table to test its kind: thousands of lookups for a broad word
in a town, most of such a query's time at 1 000 000 suppliers. The `cells`
column now also holds the kind's token ("γu09t κaci", storage/supplier_index.py)
and the search meets the kind inside the index too. The index is rebuilt from the
supplier rows (same columns, same tokenizer, same prefixes); nothing else changes.
Going down rebuilds it without the kind's token.

Revision ID: 0017_kind_tokens
Revises: 0016_shared_shortlists
"""

from __future__ import annotations

from alembic import op

from achatsdesk.storage.migrations.local_only import on_sqlite

revision = "0017_kind_tokens"
down_revision = "0016_shared_shortlists"
branch_labels = None
depends_on = None

# The text index as 0012_search_tokens made it (unchanged here): dropped and made again, faster than
# deleting a million rows from it one by one.
_FTS = (
    "CREATE VIRTUAL TABLE supplier_fts USING fts5("
    "name, brand, commune, sectors, cells, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6')"
)

def _rebuild_text_index(kinds: bool) -> None:
    from achatsdesk.storage.supplier_index import fill_text_index

    if not on_sqlite():  # the team server has no text index: each workstation searches its own copy
        return
    op.execute("DROP TABLE supplier_fts")
    op.execute(_FTS)
    raw = op.get_bind().connection.dbapi_connection
    fill_text_index(raw, kinds=kinds)


def upgrade() -> None:
    _rebuild_text_index(kinds=True)


def downgrade() -> None:
    _rebuild_text_index(kinds=False)
