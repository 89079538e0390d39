"""What the organisation's catalogue releases read and write (services/catalogue_publication.py).

The local catalogue's side (structures to publish, sector corrections, a structure by its key) runs
on the workstation's file; the releases themselves are a shared table on the team server.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from achatsdesk.storage.models.catalogue_release import CatalogueReleaseRow

_RELEASE_SUMMARY = (CatalogueReleaseRow.version, CatalogueReleaseRow.published_at, CatalogueReleaseRow.published_by,
                    CatalogueReleaseRow.suppliers, CatalogueReleaseRow.corrections)


def suppliers_of_origins(conn: Connection, origins: Iterable[str], columns: list[str]) -> Iterator[tuple]:
    """(match_key, *columns) of every supplier of these origins, in id order."""
    names = ", ".join(columns)
    marks = ", ".join(f":o{i}" for i, _ in enumerate(origins))
    parameters = {f"o{i}": origin for i, origin in enumerate(origins)}
    yield from conn.execute(text(
        f"SELECT match_key, {names} FROM supplier WHERE origin IN ({marks}) ORDER BY id"  # noqa: S608
    ), parameters)


def user_sector_corrections(conn: Connection) -> dict[str, list[int]]:
    """The sectors a user chose for a supplier, by supplier key (sector ids in order)."""
    by_key: dict[str, list[int]] = {}
    for key, sector_id in conn.execute(text(
        "SELECT s.match_key, l.sector_id FROM supplier_sector l JOIN supplier s ON s.id = l.supplier_id "
        "WHERE l.origin = 'user' ORDER BY s.match_key, l.sector_id"
    )):
        by_key.setdefault(key, []).append(int(sector_id))
    return by_key


def supplier_id_by_key(conn: Connection, match_key: str) -> int | None:
    return conn.execute(text("SELECT id FROM supplier WHERE match_key = :k"), {"k": match_key}).scalar()


def login_role(conn: Connection) -> str:
    """The role the server knows this connection as (what the history triggers record)."""
    return str(conn.execute(text("SELECT session_user")).scalar_one())


def add_release(session: Session, published_at: datetime, published_by: str, suppliers: int, corrections: int,
                payload: bytes) -> CatalogueReleaseRow:
    """The next release (version = the newest + 1)."""
    latest = session.scalar(select(func.max(CatalogueReleaseRow.version))) or 0
    row = CatalogueReleaseRow(version=latest + 1, published_at=published_at, published_by=published_by,
                              suppliers=suppliers, corrections=corrections, payload=payload)
    session.add(row)
    return row


def newest_release(session: Session) -> tuple | None:
    """(version, published_at, published_by, suppliers, corrections) of the newest release, without its payload."""
    return session.execute(select(*_RELEASE_SUMMARY).order_by(CatalogueReleaseRow.version.desc()).limit(1)).first()


def release_payload(session: Session, version: int) -> bytes:
    return bytes(session.scalar(select(CatalogueReleaseRow.payload).where(CatalogueReleaseRow.version == version)))
