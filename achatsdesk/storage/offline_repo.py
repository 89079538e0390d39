"""The local store's records of dossiers taken away offline, inside a session on the local file.

Every function takes an open session on the LOCAL file alone (a ``Database(path)``
without server), where the local copies of the dossiers live.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from achatsdesk.storage.models.offline import OfflineTakeRow


def add(session: Session, row: OfflineTakeRow) -> None:
    session.add(row)


def all_takes(session: Session) -> list[OfflineTakeRow]:
    return list(session.scalars(select(OfflineTakeRow).order_by(OfflineTakeRow.taken_at, OfflineTakeRow.id)))


def by_local_id(session: Session, local_dossier_id: int) -> OfflineTakeRow | None:
    return session.scalar(select(OfflineTakeRow).where(OfflineTakeRow.local_dossier_id == local_dossier_id))


def by_uid(session: Session, uid: str) -> OfflineTakeRow | None:
    return session.scalar(select(OfflineTakeRow).where(OfflineTakeRow.uid == uid))


def by_server_id(session: Session, server_label: str, server_dossier_id: int) -> OfflineTakeRow | None:
    return session.scalar(select(OfflineTakeRow).where(OfflineTakeRow.server_label == server_label,
                                                       OfflineTakeRow.server_dossier_id == server_dossier_id))


def remove(session: Session, row: OfflineTakeRow) -> None:
    session.delete(row)
