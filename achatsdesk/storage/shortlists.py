"""Named shortlists of suppliers, read and written on open connections.

The lists live where the dossiers do (``SHARED_TABLES``: the team server when connected,
else the local file) and name their suppliers by catalogue key (``match_key``) with the
fields a colleague needs when their own catalogue lacks one; the catalogue itself is
always this workstation's. So a function reads the lists on ``conn`` and, where it needs
the catalogue (a position, an address, a local id), the suppliers on ``catalogue``: both
are the local file alone. Every function takes its connections so that a service composes
several of them in one transaction (``create_shortlist_from_snapshot`` creates the list and
adds all its suppliers in one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from achatsdesk.storage.models.catalogue import Shortlist, ShortlistEntry, Supplier
from achatsdesk.storage.models.dossiers import DossierRow

# What a line keeps of its supplier (a colleague's catalogue may not hold it).
_KEPT = ("match_key", "siret", "name", "kind", "commune", "postcode", "source", "source_date")


@dataclass(frozen=True)
class ShortlistInfo:
    id: int
    name: str
    created_at: str
    size: int


@dataclass(frozen=True)
class EntryRow:
    """One supplier of a list as stored, with its local id and position when this catalogue holds it."""

    supplier_id: int | None
    match_key: str
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
    query = (select(Shortlist.id, Shortlist.name, Shortlist.created_at, func.count(ShortlistEntry.match_key))
             .outerjoin(ShortlistEntry, ShortlistEntry.shortlist_id == Shortlist.id)
             .group_by(Shortlist.id, Shortlist.name, Shortlist.created_at).order_by(Shortlist.name))
    if shortlist_id is not None:
        query = query.where(Shortlist.id == shortlist_id)
    return [ShortlistInfo(*row) for row in conn.execute(query)]


def exists(conn: Connection, shortlist_id: int) -> bool:
    return conn.execute(select(Shortlist.id).where(Shortlist.id == shortlist_id)).first() is not None


def rename(conn: Connection, shortlist_id: int, name: str) -> bool:
    """False when the list no longer exists; IntegrityError when the name is taken."""
    return conn.execute(update(Shortlist).where(Shortlist.id == shortlist_id).values(name=name)).rowcount == 1


def supplier_fields(catalogue: Connection, supplier_id: int) -> dict[str, Any] | None:
    """What a list line keeps of the catalogue's supplier ``supplier_id``; None when it is not there."""
    row = catalogue.execute(select(*(getattr(Supplier, name) for name in _KEPT))
                            .where(Supplier.id == supplier_id)).mappings().first()
    return dict(row) if row is not None else None


def add_item(conn: Connection, shortlist_id: int, supplier: dict[str, Any], note: str = "") -> bool:
    """``supplier`` (``supplier_fields``) into the list: True when added, False when it was already there."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ShortlistEntry).values(
        shortlist_id=shortlist_id, note=note, added_at=now(), **{name: supplier.get(name) for name in _KEPT}
    ).on_conflict_do_nothing().returning(ShortlistEntry.match_key)
    return conn.execute(statement).first() is not None  # no row back: it was already there


def remove_item(conn: Connection, shortlist_id: int, match_key: str) -> None:
    conn.execute(delete(ShortlistEntry).where(ShortlistEntry.shortlist_id == shortlist_id,
                                              ShortlistEntry.match_key == match_key))


def delete_list(conn: Connection, shortlist_id: int) -> None:
    conn.execute(delete(ShortlistEntry).where(ShortlistEntry.shortlist_id == shortlist_id))
    conn.execute(delete(Shortlist).where(Shortlist.id == shortlist_id))


def _lines(conn: Connection, shortlist_id: int):
    return list(conn.execute(select(*ShortlistEntry.__table__.c).where(ShortlistEntry.shortlist_id == shortlist_id)
                             .order_by(ShortlistEntry.name, ShortlistEntry.match_key)))


def _local_suppliers(catalogue: Connection, keys: list[str], *columns) -> dict[str, Any]:
    """This catalogue's suppliers among ``keys``, by key (batches stay under SQLite's parameter limit)."""
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 500):
        query = select(Supplier.match_key, *columns).where(Supplier.match_key.in_(keys[start:start + 500]))
        found.update((row[0], row) for row in catalogue.execute(query))
    return found


def entries(conn: Connection, catalogue: Connection, shortlist_id: int) -> list[EntryRow]:
    lines = _lines(conn, shortlist_id)
    local = _local_suppliers(catalogue, [line.match_key for line in lines],
                             Supplier.id, Supplier.latitude, Supplier.longitude)
    out = []
    for line in lines:
        here = local.get(line.match_key)
        out.append(EntryRow(here.id if here else None, line.match_key, line.siret, line.name, line.kind, line.commune,
                            line.note, line.added_at, line.source, line.source_date,
                            here.latitude if here else None, here.longitude if here else None))
    return out


@dataclass(frozen=True)
class SheetRow:
    """One supplier of a list as the shortlist spreadsheet shows it."""

    id: int | None  # None: a colleague's supplier this catalogue does not hold
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


def sheet_rows(conn: Connection, catalogue: Connection, shortlist_id: int) -> list[SheetRow]:
    """The list's suppliers with what this catalogue knows of them; a supplier it lacks keeps the
    line's own fields (no id, address, position nor website)."""
    lines = _lines(conn, shortlist_id)
    local = _local_suppliers(catalogue, [line.match_key for line in lines],
                             Supplier.id, Supplier.name, Supplier.siret, Supplier.kind, Supplier.address,
                             Supplier.postcode, Supplier.commune, Supplier.latitude, Supplier.longitude,
                             Supplier.source, Supplier.source_date, Supplier.website)
    out = []
    for line in lines:
        here = local.get(line.match_key)
        out.append(SheetRow(*here[1:]) if here is not None else
                   SheetRow(None, line.name, line.siret, line.kind, None, line.postcode, line.commune, None, None,
                            line.source, line.source_date, None))
    return out


def list_names_of_supplier(conn: Connection, match_key: str) -> list[str]:
    """The names of the lists a supplier is in (its detail sheet)."""
    query = (select(Shortlist.name).join(ShortlistEntry, ShortlistEntry.shortlist_id == Shortlist.id)
             .where(ShortlistEntry.match_key == match_key).order_by(Shortlist.name))
    return list(conn.scalars(query))


def snapshot(conn: Connection, shortlist_id: int) -> dict[str, Any] | None:
    """The list as plain data for an exchange file (its ids mean nothing on another machine)."""
    name = conn.scalar(select(Shortlist.name).where(Shortlist.id == shortlist_id))
    if name is None:
        return None
    suppliers = [{"name": line.name, "siret": line.siret, "kind": line.kind, "commune": line.commune,
                  "postcode": line.postcode, "source": line.source, "source_date": line.source_date,
                  "note": line.note} for line in _lines(conn, shortlist_id)]
    return {"name": name, "suppliers": suppliers}


def supplier_by_siret_and_kind(conn: Connection, siret: str, kind: str) -> int | None:
    """The catalogue's own key for one establishment (it can be both an EI and an ACI)."""
    return conn.scalar(select(Supplier.id).where(Supplier.siret == siret, Supplier.kind == kind)
                       .order_by(Supplier.id).limit(1))


def dossier_titles_using(conn: Connection, shortlist_id: int) -> list[str]:
    return list(conn.scalars(select(DossierRow.title).where(DossierRow.shortlist_id == shortlist_id)
                             .order_by(DossierRow.title)))

