"""Named shortlists of suppliers; a dossier points at one by its id (``Dossier.shortlist_id``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from achatsdesk.domain.geo import distance_km
from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.storage.database import Database


@dataclass(frozen=True)
class ShortlistInfo:
    id: int
    name: str
    created_at: str
    size: int


@dataclass(frozen=True)
class ShortlistEntry:
    supplier_id: int
    siret: str | None
    name: str
    kind: str
    commune: str | None
    note: str
    added_at: str
    source: str = ""
    source_date: str | None = None
    distance_km: float | None = None  # from the place given to shortlist_entries, when both are known


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("Le nom de la liste est vide.", hint="Donnez un nom à la liste (ex. : « Nettoyage collèges 2027 »).")
    return clean


def create_shortlist(database: Database, name: str, *, unique: bool = False) -> int:
    """A new empty list. With ``unique``, a taken name gets " (2)", " (3)"… instead of an error
    (a list created after a dossier's title, where the buyer did not choose the name)."""
    clean = _clean_name(name)
    if unique:
        taken = {info.name for info in list_shortlists(database)}
        base, number = clean, 2
        while clean in taken:
            clean, number = f"{base} ({number})", number + 1
    try:
        with database.engine.begin() as conn:
            return conn.execute(
                text("INSERT INTO shortlist (name, created_at) VALUES (:n, :t) RETURNING id"), {"n": clean, "t": _now()}
            ).scalar_one()
    except IntegrityError as exc:
        raise ValidationError(f"Une liste s'appelle déjà « {clean} ».", hint="Choisissez un autre nom.") from exc


def list_shortlists(database: Database) -> list[ShortlistInfo]:
    with database.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT l.id, l.name, l.created_at, count(i.supplier_id) FROM shortlist l "
            "LEFT JOIN shortlist_item i ON i.shortlist_id = l.id GROUP BY l.id ORDER BY l.name"
        )).all()
    return [ShortlistInfo(*r) for r in rows]


def find_shortlist(database: Database, shortlist_id: int) -> ShortlistInfo | None:
    """The list with its size, or None when it was deleted (a dossier may still point at it)."""
    return next((info for info in list_shortlists(database) if info.id == shortlist_id), None)


def rename_shortlist(database: Database, shortlist_id: int, name: str) -> None:
    clean = _clean_name(name)
    try:
        with database.engine.begin() as conn:
            result = conn.execute(text("UPDATE shortlist SET name = :n WHERE id = :i"), {"n": clean, "i": shortlist_id})
    except IntegrityError as exc:
        raise ValidationError(f"Une liste s'appelle déjà « {clean} ».", hint="Choisissez un autre nom.") from exc
    if result.rowcount != 1:
        raise NotFoundError("Cette liste n'existe plus.", hint="Fermez la fenêtre et rouvrez-la pour voir les listes à jour.")


def dossiers_using(database: Database, shortlist_id: int) -> list[str]:
    """Titles of the dossiers that point at this list (said before deleting it)."""
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT title FROM dossier WHERE shortlist_id = :i ORDER BY title"), {"i": shortlist_id})
        return [r[0] for r in rows]


def add_to_shortlist(database: Database, shortlist_id: int, supplier_id: int, note: str = "") -> bool:
    """True when added, False when the supplier was already in the list."""
    with database.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM shortlist WHERE id = :i"), {"i": shortlist_id}).first() is None:
            raise NotFoundError("Cette liste n'existe plus.", hint="Choisissez ou créez une autre liste.")
        if conn.execute(text("SELECT 1 FROM supplier WHERE id = :i"), {"i": supplier_id}).first() is None:
            raise NotFoundError("Cette structure n'est plus dans le catalogue.", hint="Relancez la recherche.")
        result = conn.execute(
            text("INSERT OR IGNORE INTO shortlist_item (shortlist_id, supplier_id, note, added_at) VALUES (:l, :s, :n, :t)"),
            {"l": shortlist_id, "s": supplier_id, "n": note, "t": _now()},
        )
        return result.rowcount == 1


def remove_from_shortlist(database: Database, shortlist_id: int, supplier_id: int) -> None:
    with database.engine.begin() as conn:
        conn.execute(
            text("DELETE FROM shortlist_item WHERE shortlist_id = :l AND supplier_id = :s"), {"l": shortlist_id, "s": supplier_id}
        )


def shortlist_entries(database: Database, shortlist_id: int, near_insee: str | None = None) -> list[ShortlistEntry]:
    """The list's suppliers by name; with ``near_insee`` (the place of execution), each one's
    distance in km from that commune's centre when both positions are known."""
    with database.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.id, s.siret, s.name, s.kind, s.commune, i.note, i.added_at, s.source, s.source_date, "
            "s.latitude, s.longitude FROM shortlist_item i "
            "JOIN supplier s ON s.id = i.supplier_id WHERE i.shortlist_id = :l ORDER BY s.name"
        ), {"l": shortlist_id}).all()
        place = None
        if near_insee:
            place = conn.execute(text("SELECT latitude, longitude FROM commune WHERE insee = :i"), {"i": near_insee}).first()
    entries = []
    for *fields, source, source_date, lat, lon in rows:
        distance = None
        if place is not None and place[0] is not None and lat is not None and lon is not None:
            distance = distance_km(place[0], place[1], lat, lon)
        entries.append(ShortlistEntry(*fields, source=source or "", source_date=source_date, distance_km=distance))
    return entries


def export_shortlist_xlsx(database: Database, shortlist_id: int, destination: str | PathLike[str]) -> Path:
    """The list as the same spreadsheet a dossier exports (without a place, so no distances)."""
    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.exports import export_shortlist

    info = find_shortlist(database, shortlist_id)
    if info is None:
        raise NotFoundError("Cette liste n'existe plus.", hint="Fermez la fenêtre et rouvrez-la pour voir les listes à jour.")
    return export_shortlist(Dossier(title=info.name, shortlist_id=shortlist_id), destination, database=database)


def delete_shortlist(database: Database, shortlist_id: int) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM shortlist_item WHERE shortlist_id = :l"), {"l": shortlist_id})
        conn.execute(text("DELETE FROM shortlist WHERE id = :l"), {"l": shortlist_id})
