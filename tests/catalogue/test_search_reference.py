"""The fast search paths (capped totals, index walks, probed circles) against a straightforward reference.

A few thousand SYNTHETIC suppliers (made-up names and SIRETs, clustered around
Lyon and Paris) are added to the shipped catalogue. For every combination of
text, kind, département, sector, place and order, the first page and the exact
total of search_suppliers must equal what a plain reading gives: every text
match from FTS5 in rowid order, every filter and distance checked in Python,
the order sorted in Python.
"""

from __future__ import annotations

import csv
import itertools
import random

import pytest
from stdnum import luhn

from achatsdesk.domain.geo import distance_km
from achatsdesk.domain.text import words
from achatsdesk.services.catalogue import import_file, search_suppliers
from achatsdesk.storage import supplier_search

_WORDS = ["association", "atelier", "esat", "nettoyage", "batiment", "jardin", "solidaire", "insertion", "asso", "recyclage"]
_PLACES = [("69123", "LYON", "69001", 45.758, 4.835), ("75056", "PARIS", "75001", 48.857, 2.352),
           ("13055", "MARSEILLE", "13001", 43.296, 5.370)]
_KINDS = ["ESAT", "ACI", "EI", "EA"]
_NAF = ["8121Z", "8130Z", "4399C", "3832Z", "8810C"]


def _luhn(body: str) -> str:
    """``body`` with its Luhn check digit (python-stdnum), as a real SIRET has."""
    return body + luhn.calc_check_digit(body)


@pytest.fixture(scope="module")
def big_catalogue(tmp_path_factory):
    import os

    home = tmp_path_factory.mktemp("home")
    previous = os.environ.get("ACHATSDESK_HOME")
    os.environ["ACHATSDESK_HOME"] = str(home)
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import ensure_embedded_catalogue

    database = open_database()
    ensure_embedded_catalogue(database.engine)
    rng = random.Random(15)
    path = home / "suppliers_SYNTHETIC.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["siret", "raison sociale", "type", "naf", "code postal", "commune", "code insee", "latitude", "longitude"])
        for i in range(3000):
            insee, commune, postcode, lat, lon = rng.choices(_PLACES, weights=[6, 3, 1])[0]
            name = " ".join(rng.choices(_WORDS, weights=[8, 3, 6, 4, 3, 2, 2, 2, 3, 1], k=rng.randint(1, 3)))
            writer.writerow([_luhn(f"{800000000 + i:09d}0001"), f"{name.upper()} {i}", rng.choice(_KINDS), rng.choice(_NAF),
                             postcode, commune, insee, f"{lat + rng.gauss(0, 0.1):.5f}", f"{lon + rng.gauss(0, 0.12):.5f}"])
    report = import_file(database, path, "csv")
    assert report.added == 3000
    yield database
    database.dispose()
    if previous is None:
        os.environ.pop("ACHATSDESK_HOME", None)
    else:
        os.environ["ACHATSDESK_HOME"] = previous


class Reference:
    """Everything read once, plainly; each search answered in Python."""

    def __init__(self, database) -> None:
        with database.engine.connect() as conn:
            self.rows = {r[0]: r for r in conn.exec_driver_sql(
                "SELECT id, name, kind, departement, latitude, longitude, sort_name, sort_commune, source_date, source "
                "FROM supplier").all()}
            self.sectors: dict[int, set[int]] = {}
            for supplier_id, sector_id in conn.exec_driver_sql("SELECT supplier_id, sector_id FROM supplier_sector").all():
                self.sectors.setdefault(supplier_id, set()).add(sector_id)
            self.group_of = dict(conn.exec_driver_sql("SELECT id, group_id FROM sector").all())
            self.group_slug = dict(conn.exec_driver_sql("SELECT id, slug FROM sector_group").all())
            self.communes = {r[0]: (r[1], r[2]) for r in conn.exec_driver_sql(
                "SELECT insee, latitude, longitude FROM commune WHERE insee IN ('69123', '75056', '13055')").all()}
            self._raw = database.engine.raw_connection()

    def fts(self, expression: str) -> list[int]:
        return [r[0] for r in self._raw.execute(
            "SELECT rowid FROM supplier_fts WHERE supplier_fts MATCH ? ORDER BY rowid", (expression,)).fetchall()]

    def search(self, text, kinds, dept, sector, group, near, order, descending) -> tuple[int, list[int]]:
        def keep(i: int) -> bool:
            row = self.rows[i]
            if kinds and row[2] not in kinds:
                return False
            if dept and row[3] != dept:
                return False
            if sector is not None or group is not None:
                mine = self.sectors.get(i, set())
                if not ((sector is not None and sector in mine) or (group is not None and any(self.group_of[s] == group for s in mine))):
                    return False
            return not (near and (row[4] is None or self._distance(near, i) > 30))

        tokens = words(text)
        if tokens:
            quoted = " ".join(f'"{t}"*' for t in tokens)
            rest = " ".join(f'"{t}"*' for t in tokens[1:])
            tiers = [f'{{name}} : (^"{tokens[0]}"* {rest})'.replace(" )", ")"), f"{{name brand}} : ({quoted})",
                     f"{{name brand commune sectors}} : ({quoted})"]
            ranked = list(dict.fromkeys(i for tier in tiers for i in self.fts(tier) if keep(i)))
        else:
            ranked = sorted((i for i in self.rows if keep(i)), key=lambda i: (self.rows[i][6], i))
        if order == "distance" and not near:
            order, descending = "relevance", False
        if order == "relevance" and near:
            order, descending = "distance", False
        keys = {
            "name": lambda i: (self.rows[i][6], i), "kind": lambda i: (self.rows[i][2], i),
            "commune": lambda i: (self.rows[i][7], i), "source_date": lambda i: (self.rows[i][8], self.rows[i][9], i),
            "distance": lambda i: (self._distance(near, i), i),
        }
        if order != "relevance":
            ranked = sorted(ranked, key=keys[order], reverse=descending)
        return len(ranked), ranked

    def _distance(self, near: str, i: int) -> float:
        lat, lon = self.communes[near]
        return distance_km(lat, lon, self.rows[i][4], self.rows[i][5])


@pytest.fixture(scope="module")
def reference(big_catalogue):
    return Reference(big_catalogue)


_TEXTS = ["", "as", "esat", "nettoyage bat", "zzqx"]
_ORDERS = [("relevance", False), ("name", False), ("name", True), ("kind", False), ("commune", True),
           ("distance", False), ("distance", True), ("source_date", False)]


@pytest.mark.parametrize("probe", [supplier_search._PROBE, 40])
@pytest.mark.parametrize("text", _TEXTS)
def test_first_page_and_exact_total_match_the_reference(big_catalogue, reference, monkeypatch, text, probe):
    monkeypatch.setattr(supplier_search, "_PROBE", probe)  # 40: the crowded-circle path on this small catalogue
    from collections import Counter

    common = Counter(s for ids in reference.sectors.values() for s in ids).most_common()
    sector_id = common[0][0]
    group_id = reference.group_of[common[1][0]]
    checked = 0
    for kinds, dept, sectors, near, (order, descending) in itertools.product(
        [(), ("ESAT",)], [None, "69"], [None, "sector", "group"], [None, "69123"], _ORDERS,
    ):
        if probe != supplier_search._PROBE and near is None:
            continue
        sector = sector_id if sectors == "sector" else None
        group = group_id if sectors == "group" else None
        expected_total, expected = reference.search(text, set(kinds), dept, sector, group, near, order, descending)
        sector_args = [sector] if sector is not None else [reference.group_slug[group]] if group is not None else []
        result = search_suppliers(
            big_catalogue, text, kinds=kinds, departements=[dept] if dept else [], sectors=sector_args,
            near=near, radius_km=30 if near else None, limit=25, order=order, descending=descending,
        )
        where = f"{text!r} kinds={kinds} dept={dept} sectors={sectors} near={near} order={order} desc={descending}"
        assert result.total_is_exact, where
        assert result.total == expected_total, where
        assert [h.id for h in result.hits] == expected[:25], where
        capped = search_suppliers(
            big_catalogue, text, kinds=kinds, departements=[dept] if dept else [], sectors=sector_args,
            near=near, radius_km=30 if near else None, limit=25, order=order, descending=descending, total_cap=100,
        )
        assert [h.id for h in capped.hits] == expected[:25], where
        # Exact up to the cap; beyond it "more than 100", unless the exact figure came for free.
        if capped.total_is_exact:
            assert capped.total == expected_total, where
        else:
            assert capped.total == 100 < expected_total, where
        checked += 1
    assert checked >= 80


def test_broad_words_in_name_order_walk_the_index_and_narrow_ones_sort(big_catalogue):
    """Both ways of answering an ordered text search are exercised above: this checks which is which."""
    from achatsdesk.storage.supplier_search import _walks_the_order

    with big_catalogue.engine.connect() as conn:
        broad = _walks_the_order(conn, "FROM supplier_fts f WHERE supplier_fts MATCH :m", {"m": '"as"*'}, 25)
        narrow = _walks_the_order(conn, "FROM supplier_fts f WHERE supplier_fts MATCH :m", {"m": '"recyclage"*'}, 25)
    assert broad and not narrow


@pytest.mark.parametrize("plan", ["sort", "walk", "set"])
def test_every_plan_of_an_ordered_text_search_gives_the_reference_pages(big_catalogue, reference, monkeypatch, plan):
    """Sorting the matches, walking the order's index with a per-row text test, or walking it against the
    set of matching ids: whichever the costs pick, the pages and totals are the same."""
    monkeypatch.setattr(supplier_search, "_order_plan", lambda *_args: plan)
    checked = 0
    for text, kinds, near, (order, descending) in itertools.product(
        ["as", "esat", "nettoyage bat", "zzqx"], [(), ("ESAT",)], [None, "69123"],
        [("name", False), ("name", True), ("kind", False), ("commune", True), ("source_date", False), ("source_date", True)],
    ):
        expected_total, expected = reference.search(text, set(kinds), None, None, None, near, order, descending)
        for offset in (0, 25):
            result = search_suppliers(big_catalogue, text, kinds=kinds, near=near, radius_km=30 if near else None,
                                      limit=25, offset=offset, order=order, descending=descending)
            where = f"{plan} {text!r} kinds={kinds} near={near} order={order} desc={descending} offset={offset}"
            assert (result.total, result.total_is_exact) == (expected_total, True), where
            assert [h.id for h in result.hits] == expected[offset : offset + 25], where
        capped = search_suppliers(big_catalogue, text, kinds=kinds, near=near, radius_km=30 if near else None,
                                  limit=25, order=order, descending=descending, total_cap=100)
        assert [h.id for h in capped.hits] == expected[:25], where
        assert (capped.total, capped.total_is_exact) == ((expected_total, True) if expected_total <= 100 else (100, False)), where
        checked += 1
    assert checked == 96
