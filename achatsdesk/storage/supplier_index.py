"""The supplier text index (supplier_fts) written in bulk, from the supplier rows themselves.

One INSERT … SELECT fills the index for many suppliers at once: the names,
brands and communes come from the supplier table, the sector names from
supplier_sector, and the map-grid cells from geo_cells (registered as an SQL
function). The migration that rebuilds the index and the large-import path
both use it, so they write exactly what the row-by-row writer writes.
"""

from __future__ import annotations

import sqlite3

# Map-grid cells written into supplier_fts.cells: one token per level, "g{level}x{row}y{col}".
# storage/supplier_search.py covers a search box with the same cells (a test checks they agree).
CELL_LEVELS = (0.1, 0.4, 1.6)  # degrees


def geo_cells(lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return ""
    return " ".join(
        f"g{level}x{int((lat + 90) // size)}y{int((lon + 180) // size)}" for level, size in enumerate(CELL_LEVELS)
    )


def register_geo_cells(raw: sqlite3.Connection) -> None:
    raw.create_function("achatsdesk_geo_cells", 2, geo_cells, deterministic=True)


# FTS5's merge settings while many rows are written at once: no merging on the way (automerge 0,
# segments pile up to 200 per level) and one merge at the end (optimize_text_index) roughly halves
# the time of a large fill. The defaults come back afterwards: they are stored in the index.
_BULK_SETTINGS = (("automerge", 0), ("crisismerge", 200))
_DEFAULT_SETTINGS = (("automerge", 4), ("crisismerge", 16))


def _configure(raw: sqlite3.Connection, settings) -> None:
    for name, value in settings:
        raw.execute("INSERT INTO supplier_fts (supplier_fts, rank) VALUES (?, ?)", (name, value))


def fill_text_index(raw: sqlite3.Connection, id_source: str | None = None) -> None:
    """Index the suppliers whose ids `id_source` selects (an SQL SELECT of ids; every supplier
    when None), then merge the index (optimize_text_index). The caller removes their old entries
    first and owns the transaction."""
    register_geo_cells(raw)
    where = f"WHERE s.id IN ({id_source})" if id_source else ""
    _configure(raw, _BULK_SETTINGS)
    raw.execute(
        "INSERT INTO supplier_fts (rowid, name, brand, commune, sectors, cells) "
        "SELECT s.id, s.name, coalesce(s.brand, ''), coalesce(s.commune, ''), "
        "coalesce((SELECT group_concat(name, ' ') FROM (SELECT x.name FROM supplier_sector l "
        "JOIN sector x ON x.id = l.sector_id WHERE l.supplier_id = s.id ORDER BY x.name)), ''), "
        f"achatsdesk_geo_cells(s.latitude, s.longitude) FROM supplier s {where}"  # noqa: S608 - SQL of ours
    )
    _configure(raw, _DEFAULT_SETTINGS)
    optimize_text_index(raw)


def optimize_text_index(raw: sqlite3.Connection) -> None:
    """Merge the index into one segment. Every text query then seeks one b-tree instead of one
    per segment left by the writes: a per-row membership test (the name order over a broad
    match) costs about 5 µs instead of 40."""
    raw.execute("INSERT INTO supplier_fts (supplier_fts) VALUES ('optimize')")
