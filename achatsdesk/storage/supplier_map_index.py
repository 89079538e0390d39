"""The suppliers' map index (supplier_rtree, an SQLite R*Tree) packed in one go, bottom up.

SQLite's R*Tree has no bulk loader: every INSERT walks the tree from the
root, picks a leaf and splits the full nodes on its way, about 6 µs a point
(2 s for 300 000 on this project's machine, whatever the order of the
points). When a large import writes most of the catalogue, the whole tree is
packed instead: the points sorted into tiles (Sort-Tile-Recursive: slices by
longitude, tiles by latitude), each tile a full node, the same again over the
nodes up to the root, and the nodes written straight into the R*Tree's own
tables in the format described at the top of SQLite's ext/rtree/rtree.c:

- ``supplier_rtree_node(nodeno, data)``: one blob per node, its size that of
  the root's; a big-endian header (the tree's depth, in the root only; the
  number of cells) then the cells, each a 64-bit id (a supplier, or the child
  node) and the box as 32-bit floats (min_lat, max_lat, min_lon, max_lon);
  the root is node 1;
- ``supplier_rtree_rowid(rowid, nodeno)``: the leaf holding each supplier;
- ``supplier_rtree_parent(nodeno, parentnode)``: the parent of every other node.

The coordinates are rounded to 32-bit floats as the R*Tree rounds them
(minimums down, maximums up), so the packed tree holds exactly what the
INSERTs would have stored; later inserts and deletes work on it as on any
other. tests/storage/test_supplier_map_index.py compares both and runs SQLite's
own ``rtreecheck()``. Runs inside the caller's transaction.
"""

from __future__ import annotations

import math
import sqlite3
import struct
from array import array
from collections.abc import Iterable
from itertools import chain, compress, repeat
from itertools import count as count_from
from operator import itemgetter

_TABLE = "supplier_rtree"
# rtree.c's RNDTOWARDS and RNDAWAY: a double that no float holds is nudged by one float's step.
_TOWARDS = 1.0 - 1.0 / 8388608.0
_AWAY = 1.0 + 1.0 / 8388608.0
_HEADER = struct.Struct(">HH")
_CELL = struct.Struct(">q4f")  # the size of one cell

Entry = tuple[int, float, float, float, float]  # id (a supplier or a child node), min_lat, max_lat, min_lon, max_lon


def _rounded(values: list[float], down: bool) -> list[float]:
    """rtree.c's rtreeValueDown (or rtreeValueUp) over many values: the nearest float, unless it lies
    on the wrong side of the value; then the float of the value nudged by one float's step."""
    nearest = array("f", values).tolist()
    if down:
        nudged = array("f", [d * (_AWAY if d < 0 else _TOWARDS) for d in values]).tolist()
        return [f if f <= d else n for f, d, n in zip(nearest, values, nudged, strict=True)]
    nudged = array("f", [d * (_TOWARDS if d < 0 else _AWAY) for d in values]).tolist()
    return [f if f >= d else n for f, d, n in zip(nearest, values, nudged, strict=True)]


_BY_LONGITUDE, _BY_LATITUDE = itemgetter(3), itemgetter(1)


def _tiles(entries: list[Entry], capacity: int) -> list[list[Entry]]:
    """Groups of at most `capacity` entries, neighbours together (Sort-Tile-Recursive)."""
    slices = math.ceil(math.sqrt(math.ceil(len(entries) / capacity)))
    per_slice = slices * capacity
    entries.sort(key=_BY_LONGITUDE)
    groups = []
    for start in range(0, len(entries), per_slice):
        part = sorted(entries[start : start + per_slice], key=_BY_LATITUDE)
        groups.extend(part[i : i + capacity] for i in range(0, len(part), capacity))
    return groups


def _union(number: int, group: list[Entry]) -> Entry:
    _ids, min_lat, max_lat, min_lon, max_lon = zip(*group, strict=True)
    return number, min(min_lat), max(max_lat), min(min_lon), max(max_lon)


class _Nodes:
    """The nodes written so far, by batches; node 1 is the root."""

    def __init__(self, raw: sqlite3.Connection, node_size: int) -> None:
        self._raw, self._size = raw, node_size
        self.next_number = 2
        self._pending: list[tuple[int, bytes]] = []

    def write(self, cells: Iterable[float | int], count: int, root_depth: int | None = None) -> int:
        number = 1 if root_depth is not None else self.next_number
        self.next_number += root_depth is None
        data = _HEADER.pack(root_depth or 0, count) + struct.pack(">" + "q4f" * count, *cells)
        self._pending.append((number, data + bytes(self._size - len(data))))
        if len(self._pending) >= 512:
            self.flush()
        return number

    def flush(self) -> None:
        self._raw.executemany(f"INSERT INTO {_TABLE}_node (nodeno, data) VALUES (?, ?)", self._pending)  # noqa: S608
        self._pending.clear()


class _LeafOf:
    """supplier_rtree_rowid, the leaf of every entry, written in the order of the ids.

    The leaves come in the order of the map, so their ids come in no order: inserted as they came,
    each row went to a random place of the table's b-tree (2.7 s for a million, against 0.4 s in
    order). The ids of an import are a dense range (the new suppliers' follow every existing one),
    so the leaf of each id is kept in an array indexed by id (8 bytes an id) and written at the end,
    in order. Ids too sparse for that (a catalogue whose ids have gaps larger than its rows) are
    written slice by slice, as they come."""

    _SPARSE = 4  # ids per entry beyond which the array would weigh more than the entries

    def __init__(self, raw: sqlite3.Connection, count: int, first_id: int | None, last_id: int | None) -> None:
        self._raw = raw
        self._first = first_id or 0
        span = (last_id - first_id + 1) if count else 0
        self._nodes = array("q", bytes(8 * span)) if span <= self._SPARSE * count + 1024 else None
        self._pending: list[tuple[int, int]] = []

    def add(self, ids: tuple[int, ...], number: int) -> None:
        if self._nodes is None:
            self._pending.extend(zip(ids, repeat(number)))
            return
        nodes, first = self._nodes, self._first
        for supplier_id in ids:
            nodes[supplier_id - first] = number

    def flush(self) -> None:
        """The slice's rows, when the ids are too sparse to be kept until the end."""
        if self._pending:
            self._insert(self._pending)
            self._pending.clear()

    def write_all(self) -> None:
        if self._nodes is not None:  # node numbers start at 1: 0 is an id with no entry
            self._insert(compress(zip(count_from(self._first), self._nodes), self._nodes))
            self._nodes = None

    def _insert(self, rows: Iterable[tuple[int, int]]) -> None:
        self._raw.executemany(f"INSERT INTO {_TABLE}_rowid (rowid, nodeno) VALUES (?, ?)", rows)  # noqa: S608


def pack_map_index(raw: sqlite3.Connection, new_points_sql: str) -> int:
    """Rebuild the whole R*Tree with the entries it holds and the points that `new_points_sql`
    selects (id, latitude, longitude). Returns the number of entries.

    SQLite sorts the points by longitude; they are read one slice at a time (whole leaves),
    sorted by latitude and cut into leaves, so that a million of them never sit in Python's
    memory; only the nodes above the leaves (one per 51 points) are tiled here."""
    node_size = raw.execute(f"SELECT length(data) FROM {_TABLE}_node WHERE nodeno = 1").fetchone()[0]  # noqa: S608
    capacity = (node_size - _HEADER.size) // _CELL.size
    raw.execute("DROP TABLE IF EXISTS temp.map_pack_kept")
    raw.execute(f"CREATE TEMP TABLE map_pack_kept AS SELECT id, min_lat, max_lat, min_lon, max_lon FROM {_TABLE}")  # noqa: S608
    for suffix in ("node", "rowid", "parent"):
        raw.execute(f"DELETE FROM {_TABLE}_{suffix}")  # noqa: S608
    source = (f"SELECT id, min_lat, max_lat, min_lon, max_lon FROM temp.map_pack_kept UNION ALL "  # noqa: S608
              f"SELECT p.id, p.lat, p.lat, p.lon, p.lon FROM ({new_points_sql}) p")
    count, first_id, last_id = raw.execute(f"SELECT count(*), min(id), max(id) FROM ({source})").fetchone()  # noqa: S608
    leaf_of = _LeafOf(raw, count, first_id, last_id)
    # Sort-Tile-Recursive: slices of whole leaves by longitude, each slice by latitude.
    per_slice = max(1, math.ceil(math.sqrt(math.ceil(count / capacity)))) * capacity
    points = raw.execute(f"SELECT * FROM ({source}) ORDER BY 4, 1")  # noqa: S608
    nodes = _Nodes(raw, node_size)
    leaves: list[Entry] = []
    while rows := points.fetchmany(per_slice):
        rows.sort(key=_BY_LATITUDE)
        ids, *columns = zip(*rows, strict=True)
        a, b, c, d = (_rounded(column, down=i % 2 == 0) for i, column in enumerate(columns))
        for start in range(0, len(ids), capacity):
            end = start + capacity
            group = chain.from_iterable(zip(ids[start:end], a[start:end], b[start:end], c[start:end], d[start:end], strict=True))
            if count <= capacity:
                number = nodes.write(group, len(ids), root_depth=0)
            else:
                number = nodes.write(group, min(end, len(ids)) - start)
                leaves.append((number, min(a[start:end]), max(b[start:end]), min(c[start:end]), max(d[start:end])))
            leaf_of.add(ids[start:end], number)
        leaf_of.flush()
    leaf_of.write_all()
    if count == 0:
        nodes.write((), 0, root_depth=0)
    entries, depth, parents = leaves, 1, []
    while entries:
        groups = _tiles(entries, capacity) if len(entries) > capacity else [entries]
        root = len(groups) == 1
        numbers = [nodes.write(chain.from_iterable(g), len(g), root_depth=depth if root else None) for g in groups]
        parents.extend((entry[0], number) for number, group in zip(numbers, groups, strict=True) for entry in group)
        entries = [] if root else [_union(number, group) for number, group in zip(numbers, groups, strict=True)]
        depth += 1
    nodes.flush()
    raw.executemany(f"INSERT INTO {_TABLE}_parent (nodeno, parentnode) VALUES (?, ?)", parents)  # noqa: S608
    raw.execute("DROP TABLE temp.map_pack_kept")
    return count
