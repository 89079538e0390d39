"""Named shortlists of suppliers; a dossier points at one by its id (``Dossier.shortlist_id``).

Each use case is one transaction over the queries of storage/shortlists.py. The lists are
the team's in team mode (they live with the dossiers, on the server); the suppliers they
name are looked up in this workstation's catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from achatsdesk.domain.geo import distance_km
from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.storage import reference_search
from achatsdesk.storage import shortlists as rows
from achatsdesk.storage.database import Database
from achatsdesk.storage.shortlists import ShortlistInfo

__all__ = ["ShortlistEntry", "ShortlistInfo", "add_to_shortlist", "create_shortlist", "delete_shortlist",
           "find_shortlist", "insert_shortlist", "list_shortlists", "shortlist_entries"]


@dataclass(frozen=True)
class ShortlistEntry:
    supplier_id: int | None  # None: a colleague's supplier this workstation's catalogue does not hold
    siret: str | None
    name: str
    kind: str
    commune: str | None
    note: str
    added_at: str
    source: str = ""
    source_date: str | None = None
    distance_km: float | None = None  # from the place given to shortlist_entries, when both are known
    match_key: str = ""  # the supplier's catalogue key: what the list stores, and what removes it


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("Le nom de la liste est vide.", hint="Donnez un nom à la liste (ex. : « Nettoyage collèges 2027 »).")
    return clean


def _taken(clean: str) -> ValidationError:
    return ValidationError(f"Une liste s'appelle déjà « {clean} ».", hint="Choisissez un autre nom.")


def insert_shortlist(conn: Connection, name: str, *, unique: bool = False) -> int:
    """``create_shortlist`` inside the caller's transaction (a service composing several writes)."""
    clean = _clean_name(name)
    taken = rows.names(conn)
    if unique:
        base, number = clean, 2
        while clean in taken:
            clean, number = f"{base} ({number})", number + 1
    elif clean in taken:
        raise _taken(clean)
    try:
        return rows.insert_shortlist(conn, clean)
    except IntegrityError as exc:  # taken meanwhile by another process: the transaction rolls back
        raise _taken(clean) from exc


def create_shortlist(database: Database, name: str, *, unique: bool = False) -> int:
    """A new empty list. With ``unique``, a taken name gets " (2)", " (3)"… instead of an error
    (a list created after a dossier's title, where the buyer did not choose the name)."""
    with database.shared_engine.begin() as conn:
        return insert_shortlist(conn, name, unique=unique)


def list_shortlists(database: Database) -> list[ShortlistInfo]:
    with database.shared_engine.connect() as conn:
        return rows.list_infos(conn)


def find_shortlist(database: Database, shortlist_id: int) -> ShortlistInfo | None:
    """The list with its size, or None when it was deleted (a dossier may still point at it)."""
    with database.shared_engine.connect() as conn:
        return next(iter(rows.list_infos(conn, shortlist_id)), None)


def rename_shortlist(database: Database, shortlist_id: int, name: str) -> None:
    clean = _clean_name(name)
    try:
        with database.shared_engine.begin() as conn:
            renamed = rows.rename(conn, shortlist_id, clean)
    except IntegrityError as exc:
        raise _taken(clean) from exc
    if not renamed:
        raise NotFoundError("Cette liste n'existe plus.", hint="Fermez la fenêtre et rouvrez-la pour voir les listes à jour.")


def dossiers_using(database: Database, shortlist_id: int) -> list[str]:
    """Titles of the dossiers that point at this list (said before deleting it)."""
    with database.shared_engine.connect() as conn:
        return rows.dossier_titles_using(conn, shortlist_id)


def add_to_shortlist(database: Database, shortlist_id: int, supplier_id: int, note: str = "") -> bool:
    """True when added, False when the supplier was already in the list."""
    with database.engine.connect() as catalogue:
        supplier = rows.supplier_fields(catalogue, supplier_id)
    if supplier is None:
        raise NotFoundError("Cette structure n'est plus dans le catalogue.", hint="Relancez la recherche.")
    with database.shared_engine.begin() as conn:
        if not rows.exists(conn, shortlist_id):
            raise NotFoundError("Cette liste n'existe plus.", hint="Choisissez ou créez une autre liste.")
        return rows.add_item(conn, shortlist_id, supplier, note)


def remove_from_shortlist(database: Database, shortlist_id: int, match_key: str) -> None:
    """The supplier named ``match_key`` (``ShortlistEntry.match_key``) out of the list."""
    with database.shared_engine.begin() as conn:
        rows.remove_item(conn, shortlist_id, match_key)


def shortlist_entries(database: Database, shortlist_id: int, near_insee: str | None = None) -> list[ShortlistEntry]:
    """The list's suppliers by name; with ``near_insee`` (the place of execution), each one's
    distance in km from that commune's centre when both positions are known."""
    with database.shared_engine.connect() as conn, database.engine.connect() as catalogue:
        found = rows.entries(conn, catalogue, shortlist_id)
        place = reference_search.commune_position(catalogue, near_insee) if near_insee else None
    entries = []
    for r in found:
        distance = None
        if place is not None and r.latitude is not None and r.longitude is not None:
            distance = distance_km(place[0], place[1], r.latitude, r.longitude)
        entries.append(ShortlistEntry(r.supplier_id, r.siret, r.name, r.kind, r.commune, r.note, r.added_at,
                                      source=r.source or "", source_date=r.source_date, distance_km=distance,
                                      match_key=r.match_key))
    return entries


def shortlist_snapshot(database: Database, shortlist_id: int) -> dict[str, Any] | None:
    """The list as plain data (an exchange file carries it: its ids mean nothing on another machine)."""
    with database.shared_engine.connect() as conn:
        return rows.snapshot(conn, shortlist_id)


def export_shortlist_xlsx(database: Database, shortlist_id: int, destination: str | PathLike[str]) -> Path:
    """The list as the same spreadsheet a dossier exports (without a place, so no distances)."""
    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.exports import export_shortlist

    info = find_shortlist(database, shortlist_id)
    if info is None:
        raise NotFoundError("Cette liste n'existe plus.", hint="Fermez la fenêtre et rouvrez-la pour voir les listes à jour.")
    return export_shortlist(Dossier(title=info.name, shortlist_id=shortlist_id), destination, database=database)


def delete_shortlist(database: Database, shortlist_id: int) -> None:
    with database.shared_engine.begin() as conn:
        rows.delete_list(conn, shortlist_id)
