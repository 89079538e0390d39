"""The supplier text index (supplier_fts) written in bulk, from the supplier rows themselves.

One INSERT … SELECT fills the index for many suppliers at once: the names,
brands and communes come from the supplier table, the sector names from
supplier_sector, and the map-grid cell from geo_cells (registered as an SQL
function). The migration that rebuilds the index and the large-import path
both use it, so they write exactly what the row-by-row writer writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache

# The map-grid token of a located supplier in supplier_fts.cells: CELL_MARK and the point's
# geohash of GEOHASH_CHARS characters (cells of 0.35° of longitude by 0.18° of latitude, about
# 28 x 20 km in France). A geohash's prefix is the cell that holds it, 32 times larger with each
# character dropped, so a box is covered by prefix queries ("γu09"*) that FTS5 answers from its
# 1-6 prefix indexes. One token costs the index what one word costs (itself and its prefixes); the
# three tokens written before, one per grid level, cost three times that, and every distinct token
# is one more term to sort and merge: five characters (4.9 km cells) cost 0.9 s more per 300 000
# suppliers than four. The mark (a Greek letter, never the start of a French word) keeps the cells'
# prefixes apart from the words'. storage/supplier_search.py covers a box with cells_covering
# (tests/storage/test_supplier_cells.py checks they agree).
CELL_MARK = "γ"
GEOHASH_CHARS = 4
_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
# One geohash character from its five bits: even characters take 3 longitude and 2 latitude
# bits (lon lat lon lat lon), odd ones 2 and 3 (lat lon lat lon lat).
_EVEN = tuple(
    _BASE32[(x >> 2 & 1) << 4 | (y >> 1 & 1) << 3 | (x >> 1 & 1) << 2 | (y & 1) << 1 | (x & 1)]
    for x in range(8) for y in range(4)
)
_ODD = tuple(
    _BASE32[(y >> 2 & 1) << 4 | (x >> 1 & 1) << 3 | (y >> 1 & 1) << 2 | (x & 1) << 1 | (y & 1)]
    for x in range(4) for y in range(8)
)


def _bits(chars: int) -> tuple[int, int]:
    """(latitude bits, longitude bits) of a geohash of this many characters."""
    return 5 * chars // 2, (5 * chars + 1) // 2


def cell_row(lat: float, chars: int) -> int:
    """The grid row of a latitude, for geohashes of `chars` characters (clamped to the grid)."""
    n = 1 << _bits(chars)[0]
    return min(n - 1, max(0, int((lat + 90.0) / 180.0 * n)))


def cell_column(lon: float, chars: int) -> int:
    n = 1 << _bits(chars)[1]
    return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))


def geohash(row: int, column: int, chars: int) -> str:
    """The geohash of grid cell (row, column) at `chars` characters."""
    lat_bits, lon_bits = _bits(chars)
    out = []
    for k in range(chars):
        if k % 2 == 0:
            lon_bits -= 3
            lat_bits -= 2
            out.append(_EVEN[(column >> lon_bits & 7) << 2 | (row >> lat_bits & 3)])
        else:
            lon_bits -= 2
            lat_bits -= 3
            out.append(_ODD[(column >> lon_bits & 3) << 3 | (row >> lat_bits & 7)])
    return "".join(out)


@cache
def _token_halves() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The token's first two characters by the top 5 bits of (column, row), the other two by
    the low 5 bits of each: two look-ups instead of a loop per point on a large import."""
    high = tuple(CELL_MARK + geohash(r << 5, c << 5, GEOHASH_CHARS)[:2] for c in range(32) for r in range(32))
    low = tuple(geohash(r, c, GEOHASH_CHARS)[2:] for c in range(32) for r in range(32))
    return high, low


def geo_cells(lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return ""
    # The same arithmetic as cell_row and cell_column (20 bits: 10 of latitude, 10 of longitude).
    row = min(1023, max(0, int((lat + 90.0) / 180.0 * 1024)))
    column = min(1023, max(0, int((lon + 180.0) / 360.0 * 1024)))
    high, low = _token_halves()
    return high[(column >> 5) << 5 | row >> 5] + low[(column & 31) << 5 | row & 31]


# The supplier's kind in supplier_fts.cells too, after the map token: KIND_MARK and the kind code in
# lower case ("γu09t κaci"; "κesat" for a supplier without coordinates). A search of words around a
# place with a kind filter then meets the kind inside FTS5 as it meets the place: at 1 000 000
# suppliers a broad word near a town matched thousands of suppliers of every kind, each then looked
# up in the supplier table to test its kind (one microsecond each, most of such a query's time).
# Migration 0017_kind_tokens writes it into an existing index.
KIND_MARK = "κ"


def index_tokens(lat: float | None, lon: float | None, kind: str) -> str:
    """What supplier_fts.cells holds for a supplier: its map-grid token, then its kind's."""
    cells = geo_cells(lat, lon)
    return f"{cells} {KIND_MARK}{kind.lower()}" if cells else f"{KIND_MARK}{kind.lower()}"


def kinds_covering(kinds) -> str:
    """The FTS5 expression of suppliers of one of these kinds (codes: "ACI", "ESAT"…)."""
    terms = (KIND_MARK + kind.lower().replace('"', '""') for kind in kinds)
    return "{cells} : (" + " OR ".join(f'"{term}"' for term in terms) + ")"


def cells_covering(min_lat: float, max_lat: float, min_lon: float, max_lon: float, max_cells: int) -> list[str]:
    """FTS5 terms of the cells covering a box, at the finest size that needs at most `max_cells`:
    the whole token when the cells are the finest, a prefix query otherwise."""
    for chars in range(GEOHASH_CHARS, 0, -1):
        rows = range(cell_row(min_lat, chars), cell_row(max_lat, chars) + 1)
        columns = range(cell_column(min_lon, chars), cell_column(max_lon, chars) + 1)
        if len(rows) * len(columns) <= max_cells or chars == 1:
            star = "" if chars == GEOHASH_CHARS else "*"
            return [f'"{CELL_MARK}{geohash(r, c, chars)}"{star}' for r in rows for c in columns]
    raise AssertionError("unreachable")


def register_geo_cells(raw: sqlite3.Connection, cells: Callable[[float | None, float | None], str] = geo_cells) -> None:
    raw.create_function("achatsdesk_geo_cells", 2, cells, deterministic=True)


# FTS5's settings while many rows are written at once: no merging on the way (automerge 0,
# segments pile up to 200 per level) and one merge at the end (optimize_text_index) roughly halves
# the time of a large fill. FTS5 gathers the postings of the rows written in a hash table and
# writes it out as a new segment each time it holds `hashsize` bytes (1 MB by default): a
# million suppliers made about a thousand small segments, each a sort and a write of its own, and
# the final merge read them all. 16 MB makes a sixteenth of them: the fill of 1 000 000 suppliers
# took 5.5-5.8 s instead of 9.0-9.6 (any size from 8 to 128 MB alike), for 24 MB more memory
# while it runs (bench/README.md). The defaults come back afterwards: they are stored in the index.
_BULK_SETTINGS = (("automerge", 0), ("crisismerge", 200), ("hashsize", 16 << 20))
_DEFAULT_SETTINGS = (("automerge", 4), ("crisismerge", 16), ("hashsize", 1 << 20))


def _configure(raw: sqlite3.Connection, settings) -> None:
    for name, value in settings:
        raw.execute("INSERT INTO supplier_fts (supplier_fts, rank) VALUES (?, ?)", (name, value))


def fill_text_index(raw: sqlite3.Connection, id_source: str | None = None,
                    cells: Callable[[float | None, float | None], str] = geo_cells, kinds: bool = True) -> None:
    """Index the suppliers whose ids `id_source` selects (an SQL SELECT of ids; every supplier
    when None), then merge the index (optimize_text_index). The caller removes their old entries
    first and owns the transaction. `cells`: the map-grid tokens, and `kinds`: whether the kind's
    token follows them (index_tokens); the migrations write what their revision held."""
    register_geo_cells(raw, cells)
    where = f"WHERE s.id IN ({id_source})" if id_source else ""
    tokens = ("trim(achatsdesk_geo_cells(s.latitude, s.longitude) || ' ' || :mark || lower(s.kind))" if kinds
              else "achatsdesk_geo_cells(s.latitude, s.longitude)")
    fill_text_index_with(
        raw,
        "SELECT s.id, s.name, coalesce(s.brand, ''), coalesce(s.commune, ''), "
        "coalesce((SELECT group_concat(name, ' ') FROM (SELECT x.name FROM supplier_sector l "
        "JOIN sector x ON x.id = l.sector_id WHERE l.supplier_id = s.id ORDER BY x.name)), ''), "
        f"{tokens} FROM supplier s {where}",  # noqa: S608 - SQL of ours
        {"mark": KIND_MARK},
    )


def fill_text_index_with(raw: sqlite3.Connection, rows: str, parameters: dict | None = None) -> None:
    """Index the rows an SQL SELECT gives as (rowid, name, brand, commune, sector names in name order,
    map-grid and kind tokens), then merge the index. A large import stages the last three with its rows
    (catalogue/bulk_upsert.py): the same text as fill_text_index's, without a sub-query and a Python
    call per row at the end."""
    _configure(raw, _BULK_SETTINGS)
    raw.execute(f"INSERT INTO supplier_fts (rowid, name, brand, commune, sectors, cells) {rows}", parameters or {})
    _configure(raw, _DEFAULT_SETTINGS)
    optimize_text_index(raw)


def optimize_text_index(raw: sqlite3.Connection) -> None:
    """Merge the index into one segment. Every text query then seeks one b-tree instead of one
    per segment left by the writes: a per-row membership test (the name order over a broad
    match) costs about 5 µs instead of 40."""
    raw.execute("INSERT INTO supplier_fts (supplier_fts) VALUES ('optimize')")
