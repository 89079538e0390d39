"""Named shortlists of suppliers (a dossier will later point at one by its id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

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


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


def create_shortlist(database: Database, name: str) -> int:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("Le nom de la liste est vide.", hint="Donnez un nom à la liste (ex. : « Nettoyage collèges 2027 »).")
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


def shortlist_entries(database: Database, shortlist_id: int) -> list[ShortlistEntry]:
    with database.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.id, s.siret, s.name, s.kind, s.commune, i.note, i.added_at FROM shortlist_item i "
            "JOIN supplier s ON s.id = i.supplier_id WHERE i.shortlist_id = :l ORDER BY s.name"
        ), {"l": shortlist_id}).all()
    return [ShortlistEntry(*r) for r in rows]


def delete_shortlist(database: Database, shortlist_id: int) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM shortlist_item WHERE shortlist_id = :l"), {"l": shortlist_id})
        conn.execute(text("DELETE FROM shortlist WHERE id = :l"), {"l": shortlist_id})
