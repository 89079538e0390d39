"""Use cases of the supplier catalogue: search, details, imports, the shipped catalogue.

Plain functions over a Database: each opens its own short connection, so
they are safe to call from a worker thread. Imports run in one transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from achatsdesk.catalogue import embedded
from achatsdesk.catalogue.importer import import_file as _import_file
from achatsdesk.catalogue.kinds import expand_kinds
from achatsdesk.catalogue.report import ImportReport
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.catalogue.upsert import CatalogueWriter, delete_suppliers, set_user_sectors
from achatsdesk.domain.text import fold
from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.storage import reference_search
from achatsdesk.storage.database import Database
from achatsdesk.storage.shipped_data import CATALOGUE_DATASET, catalogue_fingerprint
from achatsdesk.storage.supplier_search import SearchResult, SupplierHit, SupplierQuery
from achatsdesk.storage.supplier_search import search_suppliers as _search

log = logging.getLogger(__name__)

DEFAULT_RADIUS_KM = 30.0

__all__ = [
    "ImportReport", "SearchResult", "SupplierHit", "SupplierSearch", "ensure_embedded_catalogue",
    "get_supplier", "import_file", "search_suppliers",
]


@dataclass
class SupplierSearch:
    total: int
    hits: list[SupplierHit]
    elapsed_ms: float
    place: reference_search.CommuneEntry | None = None
    radius_km: float | None = None
    total_is_exact: bool = True  # False: `total` is the cap asked for, and more match


@dataclass(frozen=True)
class SectorInfo:
    id: int
    name: str
    group_id: int
    group_name: str


# ---------------------------------------------------------------- the shipped catalogue

def ensure_embedded_catalogue(engine: Engine, data_dir: Path | None = None, version: str | None = None) -> int | None:
    """Load the shipped catalogue when the database lacks it or it changed; returns its size, or None if current.

    Suppliers keep their ids (shortlists stay valid); shipped suppliers that a
    new version dropped are removed; imported suppliers are never touched.
    """
    import csv

    data_dir = data_dir or resources_dir() / "data"
    version = version or catalogue_fingerprint(data_dir)  # the caller may have it already
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT version FROM reference_dataset WHERE name = :n"), {"n": CATALOGUE_DATASET}).scalar()
    if stored == version:
        return None
    started = time.perf_counter()
    with engine.begin() as conn:
        with (data_dir / embedded.SECTOR_GROUPS_FILE).open(encoding="utf-8", newline="") as handle:
            groups = [(int(r["id"]), r["name"], r["slug"]) for r in csv.DictReader(handle)]
        with (data_dir / embedded.SECTORS_FILE).open(encoding="utf-8", newline="") as handle:
            sectors = [(int(r["id"]), r["name"], r["slug"], int(r["group_id"])) for r in csv.DictReader(handle)]
        conn.exec_driver_sql(
            "INSERT INTO sector_group (id, name, slug) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, slug = excluded.slug",
            groups,
        )
        conn.exec_driver_sql(
            "INSERT INTO sector (id, name, slug, group_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, slug = excluded.slug, group_id = excluded.group_id",
            sectors,
        )
        writer = CatalogueWriter(conn, NafSectorMap.load(data_dir / embedded.NAF_FILE), origin="embedded")
        batch = []
        count = 0
        for record in embedded.read_embedded(data_dir / embedded.STRUCTURES_FILE):
            batch.append(record)
            count += 1
            if len(batch) >= 2000:
                writer.write(batch)
                batch = []
        writer.write(batch)
        shipped = {r[0] for r in conn.exec_driver_sql("SELECT id FROM supplier WHERE origin = 'embedded'").all()}
        stale = shipped - writer.touched_ids
        if stale:
            delete_suppliers(conn, stale)
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO reference_dataset (name, version, rows) VALUES (?, ?, ?)",
            (CATALOGUE_DATASET, version, count),
        )
    log.info("Embedded catalogue loaded: %d structures in %.2f s", count, time.perf_counter() - started)
    return count


# ---------------------------------------------------------------- search

def _resolve_sectors(conn, values: Iterable[str | int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sector ids and group ids from ids, slugs or names (accents and case optional)."""
    sectors = conn.execute(text("SELECT id, name, slug FROM sector")).all()
    groups = conn.execute(text("SELECT id, name, slug FROM sector_group")).all()
    sector_ids: list[int] = []
    group_ids: list[int] = []
    for value in values:
        raw = str(value).strip()
        if raw.isdigit():
            sector_ids.append(int(raw))
            continue
        key = fold(raw)
        group = [g[0] for g in groups if key in (fold(g[1]), g[2])]
        if group:
            group_ids.extend(group)
            continue
        found = [s[0] for s in sectors if key in (fold(s[1]), s[2])] or [
            s[0] for s in sectors if fold(s[1]).startswith(key)
        ]
        if not found:
            raise ValidationError(
                f"Secteur « {raw} » inconnu.", hint="Indiquez un secteur du Marché de l'inclusion (ex. : « Nettoyage de locaux »)."
            )
        sector_ids.extend(found)
    return tuple(sector_ids), tuple(group_ids)


def search_suppliers(
    database: Database,
    text_query: str = "",
    *,
    kinds: Iterable[str] = (),
    sectors: Iterable[str | int] = (),
    departements: Iterable[str] = (),
    near: str | None = None,
    radius_km: float | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str = "relevance",
    descending: bool = False,
    total_cap: int | None = None,
) -> SupplierSearch:
    """Kinds may be codes (ACI, ESAT) or groups ("Insertion (SIAE)"); near an INSEE code or a commune name.

    `order` is one of supplier_search.ORDERS, applied to the whole result set before paging;
    "relevance" (the default) means the distance when a place is given. `total_cap`: count the
    matches up to it only (the window shows "plus de 1 000"); None counts them all.
    """
    with database.engine.connect() as conn:
        place = None
        point = None
        if near:
            place = reference_search.resolve_commune(conn, near)
            if place is None:
                raise ValidationError(f"Commune « {near} » introuvable.", hint="Indiquez un nom de commune ou un code INSEE.")
            if place.latitude is None or place.longitude is None:
                raise ValidationError(f"La position de {place.name} n'est pas connue.", hint="Choisissez une commune voisine.")
            point = (place.latitude, place.longitude)
            radius_km = DEFAULT_RADIUS_KM if radius_km is None else radius_km
        sector_ids, group_ids = _resolve_sectors(conn, sectors) if sectors else ((), ())
        depts = tuple(d.strip().upper().zfill(2) for d in departements if d.strip())
        query = SupplierQuery(
            text=text_query or "", kinds=expand_kinds(tuple(kinds)), sector_ids=sector_ids, group_ids=group_ids,
            departements=depts, near=point, radius_km=radius_km if point else None,
            limit=max(1, int(limit)), offset=max(0, int(offset)), order=order, descending=bool(descending),
            total_cap=total_cap,
        )
        started = time.perf_counter()
        result = _search(conn, query)
        elapsed = (time.perf_counter() - started) * 1000
    return SupplierSearch(result.total, result.hits, round(elapsed, 2), place, query.radius_km, result.total_is_exact)


# ---------------------------------------------------------------- one supplier

@dataclass
class SupplierDetail:
    id: int
    siret: str | None
    siret_valid: bool
    name: str
    brand: str | None
    kind: str
    legal_form: str | None
    naf: str | None
    naf_label: str | None
    address: str | None
    postcode: str | None
    commune: str | None
    insee: str | None
    departement: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str
    capacity: int | None
    website: str | None
    source: str
    source_date: str
    origin: str
    sectors: list[tuple[int, str, str]]  # (id, name, origin: derived / user)
    shortlists: list[str]


_DETAIL_COLUMNS = (
    "id, siret, siret_valid, name, brand, kind, legal_form, naf, address, postcode, commune, insee, departement, "
    "latitude, longitude, geo_precision, capacity, website, source, source_date, origin"
)


def _detail(conn, row) -> SupplierDetail:
    naf = row[7]
    naf_label = None
    if naf and len(naf) == 5:
        naf_label = conn.execute(text("SELECT label FROM naf WHERE code = :c"), {"c": f"{naf[:2]}.{naf[2:]}"}).scalar()
    sectors = [tuple(r) for r in conn.execute(
        text("SELECT s.id, s.name, l.origin FROM supplier_sector l JOIN sector s ON s.id = l.sector_id "
             "WHERE l.supplier_id = :i ORDER BY s.name"), {"i": row[0]}).all()]
    shortlists = [r[0] for r in conn.execute(
        text("SELECT l.name FROM shortlist_item i JOIN shortlist l ON l.id = i.shortlist_id WHERE i.supplier_id = :i "
             "ORDER BY l.name"), {"i": row[0]}).all()]
    values = list(row)
    values[2] = bool(values[2])
    return SupplierDetail(*values[:8], naf_label, *values[8:], sectors=sectors, shortlists=shortlists)


def get_supplier(database: Database, siret_or_id: str | int) -> SupplierDetail:
    """By internal id (int) or by SIRET (14 digits, spaces allowed). Raises NotFoundError."""
    with database.engine.connect() as conn:
        if isinstance(siret_or_id, int):
            row = conn.execute(text(f"SELECT {_DETAIL_COLUMNS} FROM supplier WHERE id = :v"), {"v": siret_or_id}).first()  # noqa: S608
        else:
            digits = "".join(ch for ch in str(siret_or_id) if ch.isdigit())
            row = conn.execute(
                text(f"SELECT {_DETAIL_COLUMNS} FROM supplier WHERE siret = :v ORDER BY id LIMIT 1"), {"v": digits}  # noqa: S608
            ).first()
        if row is None:
            raise NotFoundError(
                f"Aucune structure du catalogue n'a le SIRET ou l'identifiant « {siret_or_id} ».",
                hint="Vérifiez le numéro, ou importez la liste qui contient cette structure.",
            )
        return _detail(conn, row)


def set_supplier_sectors(database: Database, supplier_id: int, sector_ids: Iterable[int]) -> None:
    """The user's correction of a supplier's sectors (kept across re-imports)."""
    with database.engine.begin() as conn:
        set_user_sectors(conn, supplier_id, list(sector_ids))


def list_sectors(database: Database) -> list[SectorInfo]:
    with database.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.id, s.name, g.id, g.name FROM sector s JOIN sector_group g ON g.id = s.group_id ORDER BY g.name, s.name"
        )).all()
    return [SectorInfo(*r) for r in rows]


@dataclass(frozen=True)
class CatalogueSummary:
    total: int
    first_year: str | None
    last_year: str | None


def catalogue_summary(database: Database) -> CatalogueSummary:
    with database.engine.connect() as conn:
        total, first, last = conn.execute(
            text("SELECT count(*), min(substr(source_date, 1, 4)), max(substr(source_date, 1, 4)) FROM supplier")
        ).one()
    return CatalogueSummary(total, first, last)


# ---------------------------------------------------------------- imports

def import_file(
    database: Database,
    path: Path | str,
    format_code: str = "auto",
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    mapping: dict[str, str] | None = None,
    default_kind: str | None = None,
) -> ImportReport:
    """Import a file in one transaction: on cancel (Cancelled), error or a killed process nothing changes."""
    with database.engine.begin() as conn:
        return _import_file(
            conn, Path(path), format_code, progress=progress, cancelled=cancelled,
            mapping=mapping, default_kind=default_kind,
        )


def communes_near(database: Database, latitude: float, longitude: float, radius_km: float) -> list[tuple[float, float]]:
    """Centres of the communes around a place: the background of the catalogue's map."""
    from achatsdesk.domain.geo import bounding_box

    box = bounding_box(latitude, longitude, radius_km * 1.3)
    with database.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT latitude, longitude FROM commune WHERE kind = 'COM' AND latitude BETWEEN :a AND :b "
                 "AND longitude BETWEEN :c AND :d"),
            {"a": box.min_lat, "b": box.max_lat, "c": box.min_lon, "d": box.max_lon},
        ).all()
    return [(r[0], r[1]) for r in rows]
