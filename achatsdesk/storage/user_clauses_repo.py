"""The user's own clauses as stored rows: each one's full JSON form with a few columns to list it.

The JSON form is read and written by services/clause_format.py; this module only
moves rows, inside the caller's session (one unit of work per use case).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from achatsdesk.storage.models.clauses import UserClauseRow


def all_rows(session: Session) -> list[UserClauseRow]:
    return list(session.scalars(select(UserClauseRow).order_by(UserClauseRow.clause_id)))


def find(session: Session, clause_id: str) -> UserClauseRow | None:
    return session.scalar(select(UserClauseRow).where(UserClauseRow.clause_id == clause_id))


def upsert(session: Session, clause_id: str, *, title: str, version: str, based_on: str | None, origin: str,
           data_json: str) -> bool:
    """Insert or replace one clause; True when it was new."""
    now = datetime.now().replace(microsecond=0)
    row = find(session, clause_id)
    created = row is None
    if row is None:
        row = UserClauseRow(clause_id=clause_id, created_at=now)
        session.add(row)
    row.title, row.version, row.based_on, row.origin = title, version, based_on, origin
    row.data_json = data_json
    row.updated_at = now
    return created


def delete(session: Session, clause_id: str) -> bool:
    """False when no such clause of the user's exists."""
    row = find(session, clause_id)
    if row is None:
        return False
    session.delete(row)
    return True
