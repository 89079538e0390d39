"""The text index's map-grid token (a geohash after a mark) and the cells a search covers a box with agree:
a point inside a box always falls in one of the box's cells, at every cell size."""

from __future__ import annotations

import random

import pytest

from achatsdesk.storage.supplier_index import (
    CELL_MARK,
    GEOHASH_CHARS,
    cell_column,
    cell_row,
    cells_covering,
    geo_cells,
    geohash,
)


def test_the_token_is_the_standard_geohash() -> None:
    # Reference values of the geohash algorithm (geohash.org): Jutland's example and Paris.
    assert geo_cells(57.64911, 10.40744) == "γu4pr"
    assert geo_cells(48.8566, 2.3522) == "γu09t"
    assert geo_cells(None, 2.0) == ""


def _covered(token: str, terms: list[str]) -> bool:
    for term in terms:
        prefix = term.strip('"*').rstrip('"')
        if (term.endswith("*") and token.startswith(prefix)) or token == prefix:
            return True
    return False


@pytest.mark.parametrize("max_cells", [1, 4, 32, 200])
def test_every_point_of_a_box_falls_in_its_cells(max_cells: int) -> None:
    rng = random.Random(max_cells)
    sizes = set()
    for _ in range(3000):
        lat, lon = rng.uniform(-89, 89), rng.uniform(-179, 179)
        dlat, dlon = rng.choice([0.01, 0.1, 0.5, 2.0, 10.0]) * rng.random(), rng.choice([0.01, 0.1, 0.5, 2.0]) * rng.random()
        box = (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
        terms = cells_covering(*box, max_cells)
        sizes.add(len(terms[0].strip('"*')))
        assert len(terms) <= max_cells or len(terms[0].strip('"*')) == 2
        point = (rng.uniform(box[0], box[1]), rng.uniform(box[2], box[3]))
        assert _covered(geo_cells(*point), terms), (point, box, terms)
        for edge in ((box[0], box[2]), (box[1], box[3])):
            assert _covered(geo_cells(*edge), terms), (edge, box, terms)
    if max_cells >= 32:
        assert {GEOHASH_CHARS + 1, GEOHASH_CHARS} <= sizes  # the finest cells and the next size were both used


def test_the_token_is_the_geohash_of_its_grid_cell_everywhere() -> None:
    rng = random.Random(7)
    points = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(20000)]
    points += [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (45.0, -0.0)]
    for lat, lon in points:
        expected = CELL_MARK + geohash(cell_row(lat, GEOHASH_CHARS), cell_column(lon, GEOHASH_CHARS), GEOHASH_CHARS)
        assert geo_cells(lat, lon) == expected, (lat, lon)


def test_a_point_outside_the_box_is_not_in_the_finest_cells() -> None:
    terms = cells_covering(48.85, 48.86, 2.35, 2.36, 32)
    assert not _covered(geo_cells(45.76, 4.83), terms)  # Lyon is not in a box around Paris
