"""The Corbeille: a deleted dossier is kept 30 days, hidden from the list, and can be restored.

Deleting a dossier by mistake (a click on the wrong line) must not lose months of
work: ``move_to_trash`` only dates it; ``restore`` brings it back as it was;
``empty_expired`` deletes for good the dossiers put in the Corbeille more than
``KEEP_DAYS`` days ago (called when the dossiers list is first shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from achatsdesk.errors import NotFoundError
from achatsdesk.storage import dossiers_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.models.dossiers import DossierRow

KEEP_DAYS = 30


@dataclass(frozen=True)
class TrashedDossier:
    id: int
    title: str
    status: str
    deleted_at: datetime

    @property
    def purge_on(self) -> datetime:
        return self.deleted_at + timedelta(days=KEEP_DAYS)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _row(session, dossier_id: int) -> DossierRow:
    row = session.get(DossierRow, dossier_id)
    if row is None:
        raise NotFoundError(f"Le dossier n° {dossier_id} n'existe pas.", hint="Actualisez la liste des dossiers.")
    return row


def move_to_trash(database: Database, dossier_id: int, now: datetime | None = None) -> str:
    """Put the dossier in the Corbeille; returns its title."""
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        row.deleted_at = now or _now()
        return row.title


def restore(database: Database, dossier_id: int) -> str:
    """Take the dossier out of the Corbeille, as it was; returns its title."""
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        row.deleted_at = None
        return row.title


def is_trashed(database: Database, dossier_id: int) -> bool:
    with database.unit_of_work() as session:
        return _row(session, dossier_id).deleted_at is not None


def list_trash(database: Database) -> list[TrashedDossier]:
    """The dossiers in the Corbeille, most recently deleted first."""
    with database.unit_of_work() as session:
        return [TrashedDossier(r.id, r.title, r.status, r.deleted_at) for r in dossiers_repo.trashed_rows(session)]


def delete_for_good(database: Database, dossier_id: int) -> None:
    """Only a dossier already in the Corbeille can be deleted for good."""
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        if row.deleted_at is not None:
            session.delete(row)


def empty_expired(database: Database, now: datetime | None = None) -> int:
    """Delete for good the dossiers in the Corbeille for more than KEEP_DAYS days; how many."""
    limit = (now or _now()) - timedelta(days=KEEP_DAYS)
    with database.unit_of_work() as session:
        rows = dossiers_repo.trashed_rows(session, deleted_before=limit)
        for row in rows:
            session.delete(row)
        return len(rows)
