"""Reads and small writes of the supplier catalogue on an open connection: one supplier's
sheet, the sector taxonomy, the catalogue's summary and the shipped dataset's bookkeeping.

The search itself lives in storage/supplier_search.py, the bulk writes in
catalogue/upsert.py; every function here takes a Connection so that a service
composes them in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from achatsdesk.storage.models.catalogue import Sector, SectorGroup, Supplier, SupplierSector
from achatsdesk.storage.models.reference import Naf, ReferenceDataset

# The supplier sheet's columns, in the order of SupplierRow.
_SHEET = (Supplier.id, Supplier.siret, Supplier.siret_valid, Supplier.name, Supplier.brand, Supplier.kind,
          Supplier.legal_form, Supplier.naf, Supplier.address, Supplier.postcode, Supplier.commune, Supplier.insee,
          Supplier.departement, Supplier.latitude, Supplier.longitude, Supplier.geo_precision, Supplier.capacity,
          Supplier.website, Supplier.source, Supplier.source_date, Supplier.origin)


@dataclass(frozen=True)
class SupplierRow:
    id: int
    siret: str | None
    siret_valid: bool
    name: str
    brand: str | None
    kind: str
    legal_form: str | None
    naf: str | None
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


@dataclass(frozen=True)
class NamedRow:
    """A sector or a sector group: what a buyer may type to name it."""

    id: int
    name: str
    slug: str


def supplier_row(conn: Connection, *, supplier_id: int | None = None, siret: str | None = None) -> SupplierRow | None:
    """By internal id, or the first establishment with this SIRET (14 digits)."""
    query = select(*_SHEET)
    if supplier_id is not None:
        query = query.where(Supplier.id == supplier_id)
    else:
        query = query.where(Supplier.siret == siret).order_by(Supplier.id).limit(1)
    row = conn.execute(query).first()
    if row is None:
        return None
    values = list(row)
    values[2] = bool(values[2])
    return SupplierRow(*values)


def naf_label(conn: Connection, code: str) -> str | None:
    """The label of a NAF code as written in the catalogue ("8899B" → the label of "88.99B")."""
    if len(code) != 5:
        return None
    return conn.scalar(select(Naf.label).where(Naf.code == f"{code[:2]}.{code[2:]}"))


def sectors_of(conn: Connection, supplier_id: int) -> list[tuple[int, str, str]]:
    """(id, name, origin: derived / user / source) of a supplier's sectors, by name."""
    query = (select(Sector.id, Sector.name, SupplierSector.origin)
             .select_from(SupplierSector).join(Sector, Sector.id == SupplierSector.sector_id)
             .where(SupplierSector.supplier_id == supplier_id).order_by(Sector.name))
    return [tuple(row) for row in conn.execute(query)]


def sectors_of_many(conn: Connection, supplier_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each supplier's sector names, by name (the shortlist spreadsheet)."""
    ids = list(supplier_ids)
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        query = (select(SupplierSector.supplier_id, Sector.name).select_from(SupplierSector).join(Sector, Sector.id == SupplierSector.sector_id)
                 .where(SupplierSector.supplier_id.in_(ids[start:start + 500])).order_by(Sector.name))
        for supplier_id, name in conn.execute(query):
            out.setdefault(supplier_id, []).append(name)
    return out


def sectors(conn: Connection) -> list[NamedRow]:
    return [NamedRow(*row) for row in conn.execute(select(Sector.id, Sector.name, Sector.slug))]


def sector_groups(conn: Connection) -> list[NamedRow]:
    return [NamedRow(*row) for row in conn.execute(select(SectorGroup.id, SectorGroup.name, SectorGroup.slug))]


def sectors_with_groups(conn: Connection) -> list[tuple[int, str, int, str]]:
    """(sector id, sector name, group id, group name), by group then sector name."""
    query = (select(Sector.id, Sector.name, SectorGroup.id, SectorGroup.name)
             .join(SectorGroup, SectorGroup.id == Sector.group_id).order_by(SectorGroup.name, Sector.name))
    return [tuple(row) for row in conn.execute(query)]


def upsert_taxonomy(conn: Connection, groups: list[tuple[int, str, str]], sectors_: list[tuple[int, str, str, int]]) -> None:
    """The Marché de l'inclusion's sector groups (id, name, slug) and sectors (id, name, slug, group id)."""
    if groups:
        statement = sqlite_insert(SectorGroup)
        conn.execute(statement.on_conflict_do_update(
            index_elements=[SectorGroup.id], set_={"name": statement.excluded.name, "slug": statement.excluded.slug}),
            [{"id": i, "name": n, "slug": s} for i, n, s in groups])
    if sectors_:
        statement = sqlite_insert(Sector)
        conn.execute(statement.on_conflict_do_update(
            index_elements=[Sector.id], set_={"name": statement.excluded.name, "slug": statement.excluded.slug,
                                              "group_id": statement.excluded.group_id}),
            [{"id": i, "name": n, "slug": s, "group_id": g} for i, n, s, g in sectors_])

def ids_of_origin(conn: Connection, origin: str) -> set[int]:
    return set(conn.scalars(select(Supplier.id).where(Supplier.origin == origin)))


def dataset_version(conn: Connection, name: str) -> str | None:
    return conn.scalar(select(ReferenceDataset.version).where(ReferenceDataset.name == name))


def set_dataset_version(conn: Connection, name: str, version: str, rows: int) -> None:
    statement = sqlite_insert(ReferenceDataset).values(name=name, version=version, rows=rows)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[ReferenceDataset.name], set_={"version": version, "rows": rows}))


@dataclass(frozen=True)
class CatalogueSummaryRow:
    total: int
    first_year: str | None
    last_year: str | None


def summary(conn: Connection) -> CatalogueSummaryRow:
    year = func.substr(Supplier.source_date, 1, 4)
    total, first, last = conn.execute(select(func.count(), func.min(year), func.max(year)).select_from(Supplier)).one()
    return CatalogueSummaryRow(total, first, last)
