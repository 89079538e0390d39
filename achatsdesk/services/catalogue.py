"""Use cases of the supplier catalogue: search, details, imports, the shipped catalogue.

Plain functions over a Database: each opens its own short connection, so
they are safe to call from a worker thread. Imports run in one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from achatsdesk.catalogue import embedded
from achatsdesk.catalogue.importer import import_file as _import_file
from achatsdesk.catalogue.kinds import expand_kinds
from achatsdesk.catalogue.report import ImportReport
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.catalogue.upsert import CatalogueWriter, delete_suppliers, set_user_sectors
from achatsdesk.domain import input_limits
from achatsdesk.domain.geo import DEFAULT_RADIUS_KM
from achatsdesk.domain.text import fold
from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.storage import reference_search, suppliers_repo
from achatsdesk.storage import shortlists as shortlist_rows
from achatsdesk.storage.database import Database, storage_error
from achatsdesk.storage.shipped_data import CATALOGUE_DATASET, catalogue_fingerprint
from achatsdesk.storage.supplier_search import SearchResult, SupplierHit, SupplierQuery
from achatsdesk.storage.supplier_search import search_suppliers as _search
from achatsdesk.storage.suppliers_repo import SupplierRow

log = logging.getLogger(__name__)


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
        stored = suppliers_repo.dataset_version(conn, CATALOGUE_DATASET)
    if stored == version:
        return None
    started = time.perf_counter()
    with engine.begin() as conn:
        with (data_dir / embedded.SECTOR_GROUPS_FILE).open(encoding="utf-8", newline="") as handle:
            groups = [(int(r["id"]), r["name"], r["slug"]) for r in csv.DictReader(handle)]
        with (data_dir / embedded.SECTORS_FILE).open(encoding="utf-8", newline="") as handle:
            sectors = [(int(r["id"]), r["name"], r["slug"], int(r["group_id"])) for r in csv.DictReader(handle)]
        suppliers_repo.upsert_taxonomy(conn, groups, sectors)
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
        stale = suppliers_repo.ids_of_origin(conn, "embedded") - writer.touched_ids
        if stale:
            delete_suppliers(conn, stale)
        suppliers_repo.set_dataset_version(conn, CATALOGUE_DATASET, version, count)
    log.info("Embedded catalogue loaded: %d structures in %.2f s", count, time.perf_counter() - started)
    return count


# ---------------------------------------------------------------- search

def _resolve_sectors(conn, values: Iterable[str | int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sector ids and group ids from ids, slugs or names (accents and case optional)."""
    sectors = suppliers_repo.sectors(conn)
    groups = suppliers_repo.sector_groups(conn)
    sector_ids: list[int] = []
    group_ids: list[int] = []
    for value in values:
        raw = str(value).strip()
        if raw.isdigit():
            sector_ids.append(int(raw))
            continue
        key = fold(raw)
        group = [g.id for g in groups if key in (fold(g.name), g.slug)]
        if group:
            group_ids.extend(group)
            continue
        found = [s.id for s in sectors if key in (fold(s.name), s.slug)] or [
            s.id for s in sectors if fold(s.name).startswith(key)
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
    text_query = input_limits.clean_query(text_query)
    near = input_limits.clean_query(near) or None
    limit = input_limits.check_limit(limit)
    if radius_km is not None:
        radius_km = input_limits.check_radius(radius_km)
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
            radius_km = float(DEFAULT_RADIUS_KM) if radius_km is None else radius_km
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

@dataclass(frozen=True)
class SupplierDetail(SupplierRow):
    """A supplier's stored row with what its detail sheet adds."""

    naf_label: str | None
    sectors: list[tuple[int, str, str]]  # (id, name, origin: derived / user)
    shortlists: list[str]


def get_supplier(database: Database, siret_or_id: str | int) -> SupplierDetail:
    """By internal id (int) or by SIRET (14 digits, spaces allowed). Raises NotFoundError."""
    with database.engine.connect() as conn:
        if isinstance(siret_or_id, int):
            row = suppliers_repo.supplier_row(conn, supplier_id=siret_or_id)
        else:
            row = suppliers_repo.supplier_row(conn, siret="".join(ch for ch in str(siret_or_id) if ch.isdigit()))
        if row is None:
            raise NotFoundError(
                f"Aucune structure du catalogue n'a le SIRET ou l'identifiant « {siret_or_id} ».",
                hint="Vérifiez le numéro, ou importez la liste qui contient cette structure.",
            )
        return SupplierDetail(
            **asdict(row),
            naf_label=suppliers_repo.naf_label(conn, row.naf) if row.naf else None,
            sectors=suppliers_repo.sectors_of(conn, row.id),
            shortlists=_lists_of(database, conn, row.id),
        )


def _lists_of(database: Database, catalogue, supplier_id: int) -> list[str]:
    """The names of the lists (the team's in team mode) that hold this supplier."""
    fields = shortlist_rows.supplier_fields(catalogue, supplier_id)
    if fields is None:
        return []
    with database.shared_engine.connect() as conn:
        return shortlist_rows.list_names_of_supplier(conn, fields["match_key"])


def set_supplier_sectors(database: Database, supplier_id: int, sector_ids: Iterable[int]) -> None:
    """The user's correction of a supplier's sectors (kept across re-imports)."""
    with database.engine.begin() as conn:
        set_user_sectors(conn, supplier_id, list(sector_ids))


def list_sectors(database: Database) -> list[SectorInfo]:
    with database.engine.connect() as conn:
        return [SectorInfo(*r) for r in suppliers_repo.sectors_with_groups(conn)]


CatalogueSummary = suppliers_repo.CatalogueSummaryRow


def catalogue_summary(database: Database) -> CatalogueSummary:
    with database.engine.connect() as conn:
        return suppliers_repo.summary(conn)


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
    source_date: str | None = None,
    backups_dir: Path | None = None,
) -> ImportReport:
    """Import a file in one transaction: on cancel (Cancelled), error or a killed process nothing changes.
    ``source_date`` (ISO): the date of the data as the buyer confirmed it (catalogue/source_date.py);
    without it, the one read from the file's name, else the file's own date.

    Past IMPORT_BACKUP_ROWS rows, the database is copied to the backups folder
    first (storage/backups.py): the copy, read through another connection while
    the import's transaction is still open, holds the state before the import.
    """
    from achatsdesk.catalogue.source_date import suggested_source_date

    path = Path(path)
    if source_date is None and path.is_file():  # a missing file is reported by the importer, in French
        source_date = suggested_source_date(path).value
    watched = _backup_past_threshold(database, progress, backups_dir)
    try:
        with database.engine.begin() as conn:
            return _import_file(
                conn, path, format_code, progress=watched, cancelled=cancelled,
                mapping=mapping, default_kind=default_kind, source_date=source_date,
            )
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        # "database is locked" after the busy timeout: another import holds the base (French hint).
        raise storage_error(exc) from exc


def _backup_past_threshold(database: Database, progress: Callable[[int, int, str], None] | None,
                           backups_dir: Path | None) -> Callable[[int, int, str], None]:
    from achatsdesk.paths import app_paths
    from achatsdesk.storage.backups import IMPORT_BACKUP_ROWS, import_backup

    if backups_dir is None:
        paths = app_paths()
        backups_dir = paths.backups if database.path == paths.database else None
    done = {"backup": backups_dir is None}

    def watched(rows: int, total: int, text: str) -> None:
        if not done["backup"] and rows > IMPORT_BACKUP_ROWS:
            done["backup"] = True
            import_backup(database.path, backups_dir)
        if progress is not None:
            progress(rows, total, text)

    return watched


def communes_near(database: Database, latitude: float, longitude: float, radius_km: float) -> list[tuple[float, float]]:
    """Centres of the communes around a place: the background of the catalogue's map."""
    from achatsdesk.domain.geo import bounding_box

    with database.engine.connect() as conn:
        return reference_search.commune_centres_in(conn, bounding_box(latitude, longitude, radius_km * 1.3))
