"""Named shortlists of suppliers, read and written on an open connection.

Every function takes a Connection so that a service composes several of them
in one transaction (``create_shortlist_from_snapshot`` creates the list and
adds all its suppliers in one). Queries use the mapped tables Shortlist and
ShortlistItem (storage/models/catalogue.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from achatsdesk.storage.models.catalogue import Shortlist, ShortlistItem, Supplier
from achatsdesk.storage.models.dossiers import DossierRow


@dataclass(frozen=True)
class ShortlistInfo:
    id: int
    name: str
    created_at: str
    size: int


@dataclass(frozen=True)
class EntryRow:
    """One supplier of a list as stored, with its position (for distances)."""

    supplier_id: int
    siret: str | None
    name: str
    kind: str
    commune: str | None
    note: str
    added_at: str
    source: str | None
    source_date: str | None
    latitude: float | None
    longitude: float | None


def now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


def insert_shortlist(conn: Connection, name: str) -> int:
    """Raises IntegrityError when the name is taken (the caller words it)."""
    return conn.execute(insert(Shortlist).values(name=name, created_at=now()).returning(Shortlist.id)).scalar_one()


def names(conn: Connection) -> set[str]:
    return set(conn.scalars(select(Shortlist.name)))


def list_infos(conn: Connection, shortlist_id: int | None = None) -> list[ShortlistInfo]:
    """Every list with its size by name, or only ``shortlist_id`` (empty when it was deleted)."""
    query = (select(Shortlist.id, Shortlist.name, Shortlist.created_at, func.count(ShortlistItem.supplier_id))
             .outerjoin(ShortlistItem, ShortlistItem.shortlist_id == Shortlist.id)
             .group_by(Shortlist.id).order_by(Shortlist.name))
    if shortlist_id is not None:
        query = query.where(Shortlist.id == shortlist_id)
    return [ShortlistInfo(*row) for row in conn.execute(query)]


def exists(conn: Connection, shortlist_id: int) -> bool:
    return conn.execute(select(Shortlist.id).where(Shortlist.id == shortlist_id)).first() is not None


def rename(conn: Connection, shortlist_id: int, name: str) -> bool:
    """False when the list no longer exists; IntegrityError when the name is taken."""
    return conn.execute(update(Shortlist).where(Shortlist.id == shortlist_id).values(name=name)).rowcount == 1


def add_item(conn: Connection, shortlist_id: int, supplier_id: int, note: str = "") -> bool:
    """True when added, False when the supplier was already in the list."""
    statement = insert(ShortlistItem).prefix_with("OR IGNORE").values(
        shortlist_id=shortlist_id, supplier_id=supplier_id, note=note, added_at=now())
    return conn.execute(statement).rowcount == 1


def remove_item(conn: Connection, shortlist_id: int, supplier_id: int) -> None:
    conn.execute(delete(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist_id,
                                             ShortlistItem.supplier_id == supplier_id))


def delete_list(conn: Connection, shortlist_id: int) -> None:
    conn.execute(delete(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist_id))
    conn.execute(delete(Shortlist).where(Shortlist.id == shortlist_id))


def entries(conn: Connection, shortlist_id: int) -> list[EntryRow]:
    query = (select(Supplier.id, Supplier.siret, Supplier.name, Supplier.kind, Supplier.commune, ShortlistItem.note,
                    ShortlistItem.added_at, Supplier.source, Supplier.source_date, Supplier.latitude, Supplier.longitude)
             .select_from(ShortlistItem).join(Supplier, Supplier.id == ShortlistItem.supplier_id)
             .where(ShortlistItem.shortlist_id == shortlist_id).order_by(Supplier.name))
    return [EntryRow(*row) for row in conn.execute(query)]


@dataclass(frozen=True)
class SheetRow:
    """One supplier of a list as the shortlist spreadsheet shows it."""

    id: int
    name: str
    siret: str | None
    kind: str
    address: str | None
    postcode: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    source: str | None
    source_date: str | None
    website: str | None


def sheet_rows(conn: Connection, shortlist_id: int) -> list[SheetRow]:
    query = (select(Supplier.id, Supplier.name, Supplier.siret, Supplier.kind, Supplier.address, Supplier.postcode,
                    Supplier.commune, Supplier.latitude, Supplier.longitude, Supplier.source, Supplier.source_date,
                    Supplier.website)
             .select_from(ShortlistItem).join(Supplier, Supplier.id == ShortlistItem.supplier_id)
             .where(ShortlistItem.shortlist_id == shortlist_id).order_by(Supplier.name))
    return [SheetRow(*row) for row in conn.execute(query)]


def list_names_of_supplier(conn: Connection, supplier_id: int) -> list[str]:
    """The names of the lists a supplier is in (its detail sheet)."""
    query = (select(Shortlist.name).join(ShortlistItem, ShortlistItem.shortlist_id == Shortlist.id)
             .where(ShortlistItem.supplier_id == supplier_id).order_by(Shortlist.name))
    return list(conn.scalars(query))


def snapshot(conn: Connection, shortlist_id: int) -> dict[str, Any] | None:
    """The list as plain data for an exchange file (its ids mean nothing on another machine)."""
    name = conn.scalar(select(Shortlist.name).where(Shortlist.id == shortlist_id))
    if name is None:
        return None
    query = (select(Supplier.name, Supplier.siret, Supplier.kind, Supplier.commune, Supplier.postcode, Supplier.source,
                    Supplier.source_date, ShortlistItem.note)
             .select_from(ShortlistItem).join(Supplier, Supplier.id == ShortlistItem.supplier_id)
             .where(ShortlistItem.shortlist_id == shortlist_id).order_by(Supplier.name))
    return {"name": name, "suppliers": [dict(row) for row in conn.execute(query).mappings()]}


def supplier_by_siret_and_kind(conn: Connection, siret: str, kind: str) -> int | None:
    """The catalogue's own key for one establishment (it can be both an EI and an ACI)."""
    return conn.scalar(select(Supplier.id).where(Supplier.siret == siret, Supplier.kind == kind)
                       .order_by(Supplier.id).limit(1))


def supplier_exists(conn: Connection, supplier_id: int) -> bool:
    return conn.execute(select(Supplier.id).where(Supplier.id == supplier_id)).first() is not None


def dossier_titles_using(conn: Connection, shortlist_id: int) -> list[str]:
    return list(conn.scalars(select(DossierRow.title).where(DossierRow.shortlist_id == shortlist_id)
                             .order_by(DossierRow.title)))

