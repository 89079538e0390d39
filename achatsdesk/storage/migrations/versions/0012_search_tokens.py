"""One map-grid token per supplier in the text index instead of three: a geohash.

The text index's `cells` column held one token per grid level (0.1°, 0.4°
and 1.6° cells), each with its six prefix postings (FTS5's prefix indexes
apply to every column): 40 % of the time of building the index on a large
import. It now holds one token, the supplier's geohash of four characters
after a mark (storage/supplier_index.py); a geohash's prefixes are the
coarser cells, so the same prefix indexes answer a box of any size. The
index is rebuilt from the supplier rows (same columns, same tokenizer, same
prefixes); nothing else changes.

Revision ID: 0012_search_tokens
Revises: 0011_team
"""

from __future__ import annotations

from alembic import op

from achatsdesk.storage.migrations.local_only import on_sqlite

revision = "0012_search_tokens"
down_revision = "0011_team"
branch_labels = None
depends_on = None

_FTS = (
    "CREATE VIRTUAL TABLE supplier_fts USING fts5("
    "name, brand, commune, sectors, cells, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6')"
)
_OLD_LEVELS = (0.1, 0.4, 1.6)  # degrees: the grid of the tokens before this revision


def _three_level_cells(lat: float | None, lon: float | None) -> str:
    """The tokens written before this revision, one per grid level: "g{level}x{row}y{col}"."""
    if lat is None or lon is None:
        return ""
    return " ".join(
        f"g{level}x{int((lat + 90) // size)}y{int((lon + 180) // size)}" for level, size in enumerate(_OLD_LEVELS)
    )


def _rebuild_text_index(cells=None) -> None:
    from achatsdesk.storage.supplier_index import fill_text_index, geo_cells

    if not on_sqlite():  # the team server has no text index: each workstation searches its own copy
        return
    op.execute("DROP TABLE supplier_fts")
    op.execute(_FTS)
    raw = op.get_bind().connection.dbapi_connection
    fill_text_index(raw, cells=cells or geo_cells, kinds=False)  # the kind's token came with 0017


def upgrade() -> None:
    _rebuild_text_index()


def downgrade() -> None:
    _rebuild_text_index(_three_level_cells)
