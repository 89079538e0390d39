"""Supplier search over the catalogue: FTS5 prefix text, filters, R*Tree radius, exact distances.

Relevance without scoring every match: results come in tiers, each read
with a LIMIT so SQLite stops early — names starting with the first word,
then names or brands containing the words, then matches on the commune or
sectors. With a place, results are sorted by distance: the R*Tree narrows to
a bounding box, then the haversine distance (SQLite's math functions, or
domain/geo.py's distance_km registered as a function) is exact.

A query may instead ask for an explicit order (name, kind, commune,
distance, source date; ascending or descending): the whole matching set is
then ordered in SQL, so page 1 of "name A to Z" is the catalogue's first
names, not the first loaded page re-sorted. Names and communes order by
their stored sort keys (domain/text.py's fold, written by the catalogue
writer, indexed), so accents and capitals do not disturb the order.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from achatsdesk.domain.geo import bounding_box, distance_km
from achatsdesk.domain.text import words
from achatsdesk.storage.supplier_index import cells_covering, kinds_covering

_HAVERSINE = (
    "2 * 6371.0088 * asin(min(1.0, sqrt("
    "power(sin(radians(s.latitude - :lat) / 2), 2) + "
    "cos(radians(:lat)) * cos(radians(s.latitude)) * power(sin(radians(s.longitude - :lon) / 2), 2))))"
)
_HIT_COLUMNS = (
    "s.id, s.siret, s.name, s.brand, s.kind, s.commune, s.insee, s.departement, s.latitude, s.longitude, "
    "s.geo_precision, s.source, s.source_date"
)


@dataclass(frozen=True)
class SupplierQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    sector_ids: tuple[int, ...] = ()
    group_ids: tuple[int, ...] = ()
    departements: tuple[str, ...] = ()
    near: tuple[float, float] | None = None  # (latitude, longitude)
    radius_km: float | None = None
    limit: int = 50
    offset: int = 0
    # One of ORDERS. "relevance" is the tiers without a place and the distance with one;
    # "distance" without a place falls back to relevance.
    order: str = "relevance"
    descending: bool = False
    # None: the exact total. A number: count up to it and no further (total_is_exact False beyond):
    # nobody reads the 40 000th row, and counting them costs more than finding the first page.
    total_cap: int | None = None


# The SQL sort key of each explicit order (s = supplier); s.id breaks ties so pages never overlap.
_ORDER_KEYS = {
    "name": ("s.sort_name",),  # folded by the writer, indexed
    "kind": ("s.kind",),
    "commune": ("s.sort_commune",),
    "distance": (_HAVERSINE,),
    "source_date": ("s.source_date", "s.source"),
}
ORDERS = ("relevance", *_ORDER_KEYS)


@dataclass(frozen=True)
class SupplierHit:
    id: int
    siret: str | None
    name: str
    brand: str | None
    kind: str
    commune: str | None
    insee: str | None
    departement: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str
    source: str
    source_date: str
    sectors: tuple[str, ...] = ()
    distance_km: float | None = None


@dataclass
class SearchResult:
    total: int  # when not total_is_exact: the cap, and more match
    hits: list[SupplierHit] = field(default_factory=list)
    total_is_exact: bool = True


_TEXT_COLUMNS = "{name brand commune sectors}"
_MAX_CELLS = 32  # map-grid terms per text-and-place query (the finest size that needs no more)


def _match(text: str) -> str | None:
    """Every word a quoted prefix, over the text columns only (never the map cells)."""
    tokens = words(text)
    return f"{_TEXT_COLUMNS} : (" + " ".join(f'"{t}"*' for t in tokens) + ")" if tokens else None


def _cells_covering(box) -> str:
    """The FTS5 OR-expression of the map-grid cells covering a box (storage/supplier_index.py)."""
    terms = cells_covering(box.min_lat, box.max_lat, box.min_lon, box.max_lon, _MAX_CELLS)
    return "{cells} : (" + " OR ".join(terms) + ")"


def _ensure_distance_function(conn: Connection) -> None:
    """SQLite builds without math functions get the same formula from domain/geo.py."""
    raw = conn.connection.dbapi_connection
    if getattr(raw, "_achatsdesk_math", None) is not None:
        return
    try:
        raw.execute("SELECT sin(0), radians(0), power(2, 2)")
        has_math = True
    except sqlite3.OperationalError:
        has_math = False
        raw.create_function("sin", 1, math.sin, deterministic=True)
        raw.create_function("cos", 1, math.cos, deterministic=True)
        raw.create_function("asin", 1, math.asin, deterministic=True)
        raw.create_function("sqrt", 1, math.sqrt, deterministic=True)
        raw.create_function("radians", 1, math.radians, deterministic=True)
        raw.create_function("power", 2, math.pow, deterministic=True)
    try:
        raw._achatsdesk_math = has_math  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - C connections accept attributes; be safe anyway
        pass


def _filters(query: SupplierQuery, params: dict) -> list[str]:
    clauses = []
    if query.kinds:
        names = [f":k{i}" for i in range(len(query.kinds))]
        params.update({f"k{i}": k for i, k in enumerate(query.kinds)})
        clauses.append(f"s.kind IN ({', '.join(names)})")
    if query.departements:
        names = [f":d{i}" for i in range(len(query.departements))]
        params.update({f"d{i}": d for i, d in enumerate(query.departements)})
        clauses.append(f"s.departement IN ({', '.join(names)})")
    sector_parts = []
    if query.sector_ids:
        sector_parts.append(f"l.sector_id IN ({', '.join(str(int(s)) for s in query.sector_ids)})")
    if query.group_ids:
        groups = ", ".join(str(int(g)) for g in query.group_ids)
        sector_parts.append(f"l.sector_id IN (SELECT id FROM sector WHERE group_id IN ({groups}))")
    if sector_parts:
        clauses.append(f"s.id IN (SELECT l.supplier_id FROM supplier_sector l WHERE {' OR '.join(sector_parts)})")
    return clauses


def _count(conn: Connection, from_where: str, params: dict, cap: int | None) -> tuple[int, bool]:
    """The number of rows of `FROM … WHERE …`, exact, or up to `cap` (then (cap, False) when more)."""
    if cap is None:
        return conn.execute(text(f"SELECT count(*) {from_where}"), params).scalar_one(), True
    found = conn.execute(
        text(f"SELECT count(*) FROM (SELECT 1 {from_where} LIMIT :count_cap)"), {**params, "count_cap": cap + 1}
    ).scalar_one()
    return (cap, False) if found > cap else (found, True)


def search_suppliers(conn: Connection, query: SupplierQuery) -> SearchResult:
    """Never raises on what a user types: every word becomes a quoted FTS5 prefix."""
    if query.order not in ORDERS:
        raise ValueError(f"unknown supplier order {query.order!r}")
    explicit = query.order != "relevance" and (query.order != "distance" or query.near is not None)
    if explicit and not (query.order == "distance" and not query.descending and query.radius_km is not None):
        result = _search_ordered(conn, query)
    elif query.near is not None and query.radius_km is not None:
        result = _search_near(conn, query)
    else:
        result = _search_text(conn, query)
    return _with_sectors(conn, result)


_KM_PER_DEGREE = 111.19508  # 2 * pi * 6371.0088 / 360


def _flat_error(lat: float, radius: float) -> float:
    """Relative error bound of the flat-earth distance within this radius (the east-west scale drifts with latitude)."""
    return min(0.5, 0.01 + 2.5 * (radius / 6371.0088) * (1 + math.tan(math.radians(min(abs(lat), 80)))))


def _circle(lat: float, lon: float, radius: float, clauses: list[str], params: dict) -> tuple[str, dict]:
    """FROM-clause of the suppliers within `radius` km, R*Tree first, with their flat squared distance d2.

    A flat-earth distance (plain arithmetic, no function call) settles every
    point clearly inside or outside; only the thin band where it could be
    wrong pays for the haversine.
    """
    box = bounding_box(lat, lon, radius)
    eps = _flat_error(lat, radius)
    params = {
        **params, "lat": lat, "lon": lon, "r": radius, "kx": _KM_PER_DEGREE,
        "ky": _KM_PER_DEGREE * math.cos(math.radians(lat)),
        "lo2": (radius * (1 - eps)) ** 2, "hi2": (radius * (1 + eps)) ** 2,
        "a": box.min_lat, "b": box.max_lat, "c": box.min_lon, "d": box.max_lon,
    }
    join = "CROSS JOIN supplier s ON s.id = r.id" if clauses else ""  # CROSS: the R*Tree drives
    flat = ("((r.min_lat - :lat) * :kx) * ((r.min_lat - :lat) * :kx) + "
            "((r.min_lon - :lon) * :ky) * ((r.min_lon - :lon) * :ky)")
    inner = (
        f"SELECT r.id AS id, r.min_lat AS lat, r.min_lon AS lon, {flat} AS d2 FROM supplier_rtree r {join} "
        f"WHERE r.min_lat >= :a AND r.max_lat <= :b AND r.min_lon >= :c AND r.max_lon <= :d AND {' AND '.join(['1', *clauses])}"
    )
    exact = _HAVERSINE.replace("s.latitude", "c.lat").replace("s.longitude", "c.lon")
    sql = f"FROM ({inner}) c WHERE CASE WHEN c.d2 <= :lo2 THEN 1 WHEN c.d2 > :hi2 THEN 0 ELSE {exact} <= :r END"
    return sql, params


_PROBE = 2000  # candidates read at most per circle when text and place meet


def _search_near(conn: Connection, query: SupplierQuery) -> SearchResult:
    """Sorted by distance. With text, FTS5 meets the place (words AND map cells) and the
    few candidates are measured here; without, the R*Tree counts the circle and a
    smaller circle, grown until it holds enough, gives the nearest."""
    _ensure_distance_function(conn)
    lat, lon = query.near  # type: ignore[misc]
    radius = max(0.0, float(query.radius_km or 0))
    wanted = query.offset + query.limit
    params: dict = {}
    clauses = _filters(query, params)
    match = _match(query.text)
    if match:
        return _near_text(conn, query, match, clauses, params, radius, wanted)
    sql, full = _circle(lat, lon, radius, clauses, params)
    total, exact = _count(conn, sql, full, query.total_cap)
    if total == 0 or (exact and query.offset >= total):
        return SearchResult(total, [], exact)
    # The nearest K lie in a smaller circle when the big one is crowded: start where about 4K are expected
    # (beyond a capped count, guess 16 times the cap; the circle doubles until it holds enough).
    crowd = total if exact else 16 * total
    small = radius if crowd <= 4 * wanted else radius * math.sqrt(4 * wanted / crowd)
    while True:
        sql, small_params = _circle(lat, lon, small, clauses, params)
        nearest = conn.execute(text(f"SELECT c.id, c.d2 {sql} ORDER BY c.d2 LIMIT :k"), {**small_params, "k": wanted}).all()
        if len(nearest) >= min(wanted, total) or small >= radius:
            break
        small = min(radius, small * 2)
    if not nearest:
        return SearchResult(total, [], exact)
    if len(nearest) == wanted:
        # Anything truly nearer than the K-th point found has a flat distance below this bound.
        eps = _flat_error(lat, small)
        small_params["bound"] = nearest[-1][1] * ((1 + eps) / (1 - eps)) ** 2
        nearest = conn.execute(text(f"SELECT c.id, c.d2 {sql} AND c.d2 <= :bound"), small_params).all()
    # The R*Tree holds 32-bit floats: the final distances use the stored coordinates.
    ids = ",".join(str(r[0]) for r in nearest)
    rows = conn.exec_driver_sql(f"SELECT {_HIT_COLUMNS} FROM supplier s WHERE s.id IN ({ids})").all()  # noqa: S608
    ranked = sorted(((distance_km(lat, lon, r[8], r[9]), r[0]), r) for r in rows)[query.offset : wanted]
    return SearchResult(total, [_hit(row, key[0]) for key, row in ranked], exact)


def _text_in_box(match: str, lat: float, lon: float, radius: float, clauses: list[str], params: dict) -> tuple[str, dict]:
    """FROM-clause of the suppliers matching the words inside the box around a circle: FTS5 meets the
    map cells, the box trims the cells' edges."""
    box = bounding_box(lat, lon, radius)
    params = {**params, "m": f"({match}) AND ({_cells_covering(box)})",
              "a": box.min_lat, "b": box.max_lat, "c": box.min_lon, "d": box.max_lon}
    sql = ("FROM supplier_fts f CROSS JOIN supplier s ON s.id = f.rowid "
           "WHERE supplier_fts MATCH :m AND s.latitude BETWEEN :a AND :b AND s.longitude BETWEEN :c AND :d "
           f"AND {' AND '.join(['1', *clauses])}")
    return sql, params


def _near_text(conn: Connection, query: SupplierQuery, match: str, clauses: list[str], params: dict,
               radius: float, wanted: int) -> SearchResult:
    """Words around a place, nearest first, never measuring more than a few thousand candidates:
    when the circle holds more, a smaller circle (halved until its box lists fully) holds the nearest."""
    lat, lon = query.near  # type: ignore[misc]
    if query.kinds:  # the kind met inside the text index too, before any supplier row is read
        match = f"({match}) AND ({kinds_covering(query.kinds)})"
    small, listed, unlisted = radius, 0.0, radius  # listed: a radius whose box lists fully; unlisted: one too crowded
    for _ in range(12):
        sql, box_params = _text_in_box(match, lat, lon, small, clauses, params)
        points = conn.execute(text(f"SELECT s.id, s.latitude, s.longitude {sql} LIMIT :probe"),
                              {**box_params, "probe": _PROBE + 1}).all()
        complete = len(points) <= _PROBE
        inside = sorted((d, i) for i, plat, plon in points if (d := distance_km(lat, lon, plat, plon)) <= small)
        if complete and (len(inside) >= wanted or small >= radius):
            break
        if complete:  # the nearest may lie beyond this smaller circle: grow towards the crowded one
            listed = small
            small = (small + unlisted) / 2 if unlisted > small else radius
        else:
            unlisted = small
            small = (listed + small) / 2
    else:  # no circle in between listed fully: measure every candidate of the whole circle
        small = radius
        sql, box_params = _text_in_box(match, lat, lon, radius, clauses, params)
        points = conn.execute(text(f"SELECT s.id, s.latitude, s.longitude {sql}"), box_params).all()
        inside = sorted((d, i) for i, plat, plon in points if (d := distance_km(lat, lon, plat, plon)) <= radius)
    if small >= radius:
        total, exact = len(inside), True
    else:
        sql, full = _text_in_box(match, lat, lon, radius, clauses, {**params, "lat": lat, "lon": lon, "r": radius})
        total, exact = _count(conn, f"{sql} AND {_HAVERSINE} <= :r", full, query.total_cap)
    page = inside[query.offset : wanted]
    if not page:
        return SearchResult(total, [], exact)
    ids = ",".join(str(i) for _, i in page)
    rows = {r[0]: r for r in conn.exec_driver_sql(f"SELECT {_HIT_COLUMNS} FROM supplier s WHERE s.id IN ({ids})").all()}  # noqa: S608
    return SearchResult(total, [_hit(rows[i], d) for d, i in page], exact)


# The stored index that reads each explicit order in order (s.id, the tie-break, is in every index).
_ORDER_INDEX = {
    "name": "ix_supplier_sort_name",
    "kind": "ix_supplier_kind",
    "commune": "ix_supplier_sort_commune",
    "source_date": "ix_supplier_source_date",
}
# Measured at 300 000 suppliers (bench/README.md): testing one supplier against the words costs
# 5-20 µs (one index segment, see supplier_index.py), reading and sorting one match 1-3 µs; at a
# million (1 Dec 2026), reading one matching rowid into a set about 0.25 µs and reading one id of an
# order's index through the bare cursor about 0.3 µs.
_WALK_COST = 15.0
_SORT_COST = 2.0
_SET_READ_COST = 0.25
_SET_WALK_COST = 0.3
_FIRST_PROBE = 1000


def _order_plan(conn: Connection, matching: str, params: dict, wanted: int) -> str:
    """How to read a page of a text match in an order: "sort" the matches (cheap when few match),
    "walk" the order's index and test each supplier against the words (when very many match), or
    read the matches' ids into a "set" and walk the index against it (in between). Decided from the
    first matches' rowids, which FTS5 returns in order: their spread estimates the share that match."""
    # Two subqueries: min() and max() in one SELECT would scan the whole table.
    supplier_ids = conn.exec_driver_sql("SELECT (SELECT min(id) FROM supplier), (SELECT max(id) FROM supplier)").one()
    if supplier_ids[0] is None:
        return "sort"
    span = supplier_ids[1] - supplier_ids[0] + 1
    raw = conn.connection.dbapi_connection  # a thousand bare ids: no result rows built for them
    first = [r[0] for r in raw.execute(f"SELECT f.rowid {matching} LIMIT :probe", {**params, "probe": _FIRST_PROBE + 1})]
    if len(first) <= _FIRST_PROBE:
        return "sort"
    share = _FIRST_PROBE / max(1, first[-1] - supplier_ids[0] + 1)
    matches, walked = share * span, wanted / share
    costs = {"sort": _SORT_COST * matches, "walk": _WALK_COST * walked,
             "set": _SET_READ_COST * matches + _SET_WALK_COST * walked}
    return min(costs, key=costs.__getitem__)


def _walks_the_order(conn: Connection, matching: str, params: dict, wanted: int) -> bool:
    """Is the order's index read (walked) rather than the matches sorted?"""
    return _order_plan(conn, matching, params, wanted) != "sort"


def _page_by_set(conn: Connection, matching: str, params: dict, query: SupplierQuery, order_by: str) -> tuple[list, int]:
    """The page of the set plan and the exact number of matches: every matching id read once, then the
    order's index read in order until the page is full."""
    raw = conn.connection.dbapi_connection
    matches = {r[0] for r in raw.execute(f"SELECT f.rowid {matching}", params)}
    wanted = query.offset + query.limit
    found: list[int] = []
    if matches:
        walk = raw.execute(f"SELECT s.id FROM supplier s INDEXED BY {_ORDER_INDEX[query.order]} ORDER BY {order_by}")  # noqa: S608
        for (supplier_id,) in walk:
            if supplier_id in matches:
                found.append(supplier_id)
                if len(found) >= wanted:
                    break
        walk.close()
    page = found[query.offset : wanted]
    if not page:
        return [], len(matches)
    ids = ",".join(str(i) for i in page)
    rows = {r[0]: r for r in conn.exec_driver_sql(f"SELECT {_HIT_COLUMNS} FROM supplier s WHERE s.id IN ({ids})").all()}  # noqa: S608
    return [rows[i] for i in page], len(matches)


def _search_ordered(conn: Connection, query: SupplierQuery) -> SearchResult:
    """The whole matching set (text, filters, circle) in an explicit order, one page of it.

    The page never needs the whole set sorted: with few matches SQLite sorts them with a
    bounded top-k; with very many, the order's index is read in order and each supplier is
    tested against the words until the page is full; in between, the matching ids are read
    once into a set and the index is read against it (_order_plan weighs the three)."""
    params: dict = {}
    clauses = _filters(query, params)
    near = query.near
    if near is not None:
        _ensure_distance_function(conn)
        params.update(lat=near[0], lon=near[1])
        if query.radius_km is not None:
            circle, params = _circle(near[0], near[1], max(0.0, float(query.radius_km)), [], params)
            clauses.append(f"s.id IN (SELECT c.id {circle})")
    match = _match(query.text)
    direction = " DESC" if query.descending else ""
    order_by = ", ".join(f"{key}{direction}" for key in (*_ORDER_KEYS[query.order], "s.id"))
    wanted = query.offset + query.limit
    source = "FROM supplier s"
    if match:
        params["m"] = match
        # Without filters the text index alone estimates the share; with them, the join does.
        matching = ("FROM supplier_fts f WHERE supplier_fts MATCH :m" if not clauses else
                    "FROM supplier_fts f CROSS JOIN supplier s ON s.id = f.rowid "
                    f"WHERE supplier_fts MATCH :m AND {' AND '.join(clauses)}")
        plan = _order_plan(conn, matching, params, wanted) if query.order in _ORDER_INDEX else "sort"
        if plan == "set":
            rows, matches = _page_by_set(conn, matching, params, query, order_by)
            total, exact = (matches, True) if query.total_cap is None or matches <= query.total_cap else (query.total_cap, False)
            return SearchResult(total, [_hit(r, _distance(near, r)) for r in rows], exact)
        if plan == "walk":
            source = f"FROM supplier s INDEXED BY {_ORDER_INDEX[query.order]}"
            clauses.append("EXISTS (SELECT 1 FROM supplier_fts f WHERE f.rowid = s.id AND supplier_fts MATCH :m)")
        else:
            source = "FROM supplier_fts f CROSS JOIN supplier s ON s.id = f.rowid"
            clauses.append("supplier_fts MATCH :m")
    where = " AND ".join(["1", *clauses])
    rows = conn.execute(
        text(f"SELECT {_HIT_COLUMNS} {source} WHERE {where} ORDER BY {order_by} LIMIT :n OFFSET :o"),
        {**params, "n": query.limit, "o": query.offset},
    ).all()
    if not rows and query.offset == 0:
        total, exact = 0, True
    elif query.offset == 0 and len(rows) < query.limit:
        total, exact = len(rows), True
    else:
        count_source = "FROM supplier_fts f CROSS JOIN supplier s ON s.id = f.rowid" if match else "FROM supplier s"
        count_where = " AND ".join(["1", *_without_exists(clauses, match)])
        total, exact = _count(conn, f"{count_source} WHERE {count_where}", params, query.total_cap)
    return SearchResult(total, [_hit(r, _distance(near, r)) for r in rows], exact)


def _distance(near: tuple[float, float] | None, row) -> float | None:
    return distance_km(near[0], near[1], row[8], row[9]) if near is not None and row[8] is not None else None


def _without_exists(clauses: list[str], match: str | None) -> list[str]:
    """The count reads the text index directly: the per-row test becomes the MATCH itself."""
    if not match:
        return clauses
    return [c for c in clauses if not c.startswith("EXISTS (SELECT 1 FROM supplier_fts")
            and c != "supplier_fts MATCH :m"] + ["supplier_fts MATCH :m"]


def _search_text(conn: Connection, query: SupplierQuery) -> SearchResult:
    params: dict = {}
    clauses = _filters(query, params)
    match = _match(query.text)
    filters = " AND ".join(["1"] + clauses)
    wanted = query.offset + query.limit
    if match is None:
        # No text: the catalogue in name order, filtered.
        params.update(n=query.limit, o=query.offset)
        rows = conn.execute(
            text(f"SELECT {_HIT_COLUMNS} FROM supplier s WHERE {filters} ORDER BY s.sort_name, s.id LIMIT :n OFFSET :o"), params
        ).all()
        total, exact = _count(conn, f"FROM supplier s WHERE {filters}", params, query.total_cap)
        return SearchResult(total, [_hit(r) for r in rows], exact)
    tokens = words(query.text)
    quoted = " ".join(f'"{t}"*' for t in tokens)
    rest = " ".join(f'"{t}"*' for t in tokens[1:])
    tiers = [
        f'{{name}} : (^"{tokens[0]}"* {rest})'.replace(" )", ")"),
        f"{{name brand}} : ({quoted})",
        match,
    ]
    seen: dict[int, tuple] = {}
    for tier in tiers:
        if len(seen) >= wanted:
            break
        params.update(m=tier, n=wanted + len(seen))
        rows = conn.execute(
            text(
                # CROSS: the text index drives, so each tier comes in rowid order and stops at the LIMIT.
                f"SELECT {_HIT_COLUMNS} FROM supplier_fts f CROSS JOIN supplier s ON s.id = f.rowid "
                f"WHERE supplier_fts MATCH :m AND {filters} LIMIT :n"
            ),
            params,
        ).all()
        for row in rows:
            if row[0] not in seen and len(seen) < wanted:
                seen[row[0]] = tuple(row)
    params["m"] = match
    if len(seen) < wanted and query.offset == 0:
        total, exact = len(seen), True  # the last tier holds every match, and it did not fill the page
    elif clauses:
        total, exact = _count(
            conn, f"FROM supplier_fts f JOIN supplier s ON s.id = f.rowid WHERE supplier_fts MATCH :m AND {filters}",
            params, query.total_cap,
        )
    else:
        total, exact = _count(conn, "FROM supplier_fts WHERE supplier_fts MATCH :m", params, query.total_cap)
    rows = list(seen.values())[query.offset : wanted]
    return SearchResult(total, [_hit(r) for r in rows], exact)


def _hit(row, distance: float | None = None) -> SupplierHit:
    return SupplierHit(*row[:13], distance_km=distance)


def _with_sectors(conn: Connection, result: SearchResult) -> SearchResult:
    if not result.hits:
        return result
    ids = ",".join(str(h.id) for h in result.hits)
    names: dict[int, list[str]] = {}
    for supplier_id, name in conn.exec_driver_sql(
        f"SELECT l.supplier_id, s.name FROM supplier_sector l JOIN sector s ON s.id = l.sector_id "  # noqa: S608
        f"WHERE l.supplier_id IN ({ids}) ORDER BY s.name"
    ).all():
        names.setdefault(supplier_id, []).append(name)
    result.hits = [
        SupplierHit(**{**h.__dict__, "sectors": tuple(names.get(h.id, ()))}) for h in result.hits
    ]
    return result
