"""The R*Tree packed bottom up by a large import holds exactly what point-by-point INSERTs store,
answers every box the same, passes SQLite's own rtreecheck() and takes later inserts and deletes."""

from __future__ import annotations

import random
import sqlite3

import pytest

from achatsdesk.storage.supplier_map_index import pack_map_index


def _database(points: list[tuple[int, float, float]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("CREATE TABLE point (id INTEGER PRIMARY KEY, latitude REAL, longitude REAL)")
    db.executemany("INSERT INTO point VALUES (?, ?, ?)", points)
    db.execute("CREATE VIRTUAL TABLE supplier_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)")
    return db


def _points(count: int, seed: int, spacing: int = 1) -> list[tuple[int, float, float]]:
    """`spacing`: the step between ids (1 for a dense range, as an import's; more for a catalogue with gaps)."""
    rng = random.Random(seed)
    points = [((i + 1) * spacing, rng.uniform(41, 51.5), rng.uniform(-5.5, 9.6)) for i in range(count)]
    edges = [(-90.0, -180.0), (90.0, 180.0), (0.0, 0.0), (-21.1151, 55.5364), (48.85660000000001, 2.3522), (1e-40, -1e-40)]
    points[: len(edges)] = [((i + 1) * spacing, lat, lon) for i, (lat, lon) in enumerate(edges[:count])]
    return points


def _boxes(db: sqlite3.Connection, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    found = []
    for _ in range(60):
        lat, lon, size = rng.uniform(41, 51), rng.uniform(-5, 9), rng.choice([0.05, 0.3, 2.0])
        found.append([r[0] for r in db.execute(
            "SELECT id FROM supplier_rtree WHERE min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ? ORDER BY id",
            (lat - size, lat + size, lon - size, lon + size))])
    return found


# Ids 3 apart still fit the pack's array of leaves by id (holes in it), 1 000 apart do not (written as they come).
@pytest.mark.parametrize(("count", "spacing"), [(0, 1), (1, 1), (40, 1), (51, 1), (52, 1), (3000, 1), (12000, 1),
                                               (3000, 3), (12000, 1000)])
def test_packed_tree_equals_the_inserted_one(count: int, spacing: int) -> None:
    points = _points(count, count, spacing)
    inserted = _database(points)
    inserted.execute("INSERT INTO supplier_rtree SELECT id, latitude, latitude, longitude, longitude FROM point")
    kept = points[: count // 3]  # some entries already in the tree, the others added by the pack
    packed = _database(points)
    packed.executemany("INSERT INTO supplier_rtree VALUES (?, ?, ?, ?, ?)", [(i, a, a, o, o) for i, a, o in kept])
    packed.execute("BEGIN")
    last_kept = kept[-1][0] if kept else 0
    total = pack_map_index(packed, f"SELECT id, latitude AS lat, longitude AS lon FROM point WHERE id > {last_kept}")
    packed.execute("COMMIT")

    assert total == count
    everything = "SELECT * FROM supplier_rtree ORDER BY id"
    assert packed.execute(everything).fetchall() == inserted.execute(everything).fetchall()
    assert packed.execute("SELECT rtreecheck('supplier_rtree')").fetchone()[0] == "ok"
    assert _boxes(packed, count) == _boxes(inserted, count)
    if count > 51:  # more than one node: the root holds nodes, and full leaves need no more nodes than splits
        depth = packed.execute("SELECT substr(data, 1, 2) FROM supplier_rtree_node WHERE nodeno = 1").fetchone()[0]
        assert int.from_bytes(depth, "big") >= 1
        assert packed.execute("SELECT count(*) FROM supplier_rtree_node").fetchone()[0] <= (
            inserted.execute("SELECT count(*) FROM supplier_rtree_node").fetchone()[0])

    # The packed tree is an ordinary R*Tree afterwards.
    for db in (packed, inserted):
        db.executemany("INSERT INTO supplier_rtree VALUES (?, ?, ?, ?, ?)",
                       [(10**9 + i, lat, lat, lon, lon) for i, (_, lat, lon) in enumerate(_points(300, 99))])
        for supplier_id in random.Random(count).sample([p[0] for p in points], min(count, 500)):
            db.execute("DELETE FROM supplier_rtree WHERE id = ?", (supplier_id,))
    assert packed.execute("SELECT rtreecheck('supplier_rtree')").fetchone()[0] == "ok"
    assert packed.execute(everything).fetchall() == inserted.execute(everything).fetchall()
    assert _boxes(packed, 7) == _boxes(inserted, 7)
