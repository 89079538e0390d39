"""Use cases of the dossiers area: store, list, read, delete; review decisions.

One write path for a dossier's content: the caller (the editor's autosave,
the command line, a test) edits a Dossier in memory and hands it to
``save_dossier`` with the revision its copy was read at. Each call is one unit
of work (one transaction): a dossier is always saved as a whole, so an
interrupted save leaves the previous version intact, and a save from a stale
revision is refused (StaleDossierError) instead of erasing another writer's work.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from achatsdesk.domain.checklist import justification_problem
from achatsdesk.domain.dossier import (
    REOPENED_BY_A_CHANGE,
    Dossier,
    DossierStatus,
    status_after_change,
)
from achatsdesk.domain.review import STATUS_AFTER, ReviewDecision, make_decision
from achatsdesk.errors import ValidationError
from achatsdesk.services import dossier_versions
from achatsdesk.services.dossier_rules import analyse, check_dossier, rule_resources
from achatsdesk.storage import dossier_summaries, dossiers_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.dossier_summaries import DossierSummary
from achatsdesk.storage.dossiers_repo import StoredDossier

__all__ = ["StoredDossier", "check_dossier", "create_dossier", "get_dossier", "keep_copy", "list_dossiers",
           "record_review", "save_dossier"]


def _check_answers(dossier: Dossier, stored: Dossier) -> None:
    """The checklist answers changed since the stored version must be acceptable: an item of this
    dossier's checklist, and "sans objet" on a mandatory item only with its justification."""
    changed = {item_id: state for item_id, state in dossier.items.items()
               if stored.items.get(item_id) != state}
    if not changed:
        return
    items = {i.id: i for s in analyse(dossier).steps for i in s.items}
    template = rule_resources().checklist
    for item_id, state in changed.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError(f"L'élément « {item_id} » ne figure pas dans la check-list de ce dossier.",
                                  hint="Rien n'a été enregistré.")
        problem = justification_problem(item, state, template)
        if problem:
            raise ValidationError(problem, hint="Rien n'a été enregistré.")


# --- use cases --------------------------------------------------------------
def insert_dossier(session, dossier: Dossier, shortlist_snapshot: dict[str, Any] | None = None) -> int:
    """Store a new dossier in an open session (the exchange import reuses it); review history included."""
    return dossiers_repo.insert(session, dossier, shortlist_snapshot)


def create_dossier(database: Database, dossier: Dossier) -> int:
    with database.unit_of_work() as session:
        return dossiers_repo.insert(session, dossier)


def save_dossier(database: Database, dossier_id: int, dossier: Dossier, revision: int) -> int:
    """Replace the stored dossier by ``dossier`` in one transaction; returns the new revision.

    ``revision`` is the revision the caller's copy was read at (``StoredDossier.revision``, then
    what the previous save returned): when another window or process saved meanwhile, the save
    is refused with StaleDossierError and nothing is written. The review history is not
    rewritten here: decisions are only added by ``record_review``. A change of content of a
    validated dossier (or one under review) sends it back to draft (``dossier.status`` is
    updated): the decision covered the dossier as it was. Changed checklist answers are checked
    (ValidationError, nothing written).
    """
    remembered = dossier_versions.recall(database, dossier_id, revision, dossier.uid)
    # Known stored version and only the dossier's own fields changed (typing a title, an amount):
    # the save is the one UPDATE that claims the next revision.
    one_statement = remembered is not None and not dossiers_repo.changed_parts(dossier, remembered)
    with database.single_statement() if one_statement else database.unit_of_work() as session:
        if remembered is not None:  # the version read or saved at this revision: no need to read it back
            stored, stored_status = remembered, remembered.status.value
        else:
            row = dossiers_repo.get_row(session, dossier_id)
            if row.revision != revision:
                raise dossiers_repo.stale_error(session, dossier_id, revision)
            stored, stored_status = dossiers_repo.load(session, row).dossier, row.status
        _check_answers(dossier, stored)
        # Only a validated dossier or one under review can be reopened, and only by a change of
        # content, not by a workflow change the caller asks for (another status).
        if dossier.status.value == stored_status and DossierStatus(stored_status) in REOPENED_BY_A_CHANGE:
            dossier.status = status_after_change(dossier.status, stored, dossier)
        new_revision = dossiers_repo.replace_content(session, dossier_id, dossier, revision, stored)
    # Committed. The review history is not written by a save: the stored one stays.
    saved = copy.copy(dossier)
    saved.reviews = stored.reviews
    dossier_versions.remember(database, dossier_id, new_revision, saved)
    return new_revision


def keep_copy(database: Database, dossier: Dossier) -> int:
    """Store ``dossier`` as a new draft beside the original (after a refused stale save: the
    buyer's version is kept, nothing is lost); returns the copy's id."""
    copied = copy.deepcopy(dossier)
    copied.uid = ""
    copied.title = f"{dossier.title} (ma copie)"
    copied.status = DossierStatus.BROUILLON
    copied.reviews = []  # the decisions covered the original
    return create_dossier(database, copied)


def duplicate_dossier(database: Database, dossier_id: int) -> int:
    """A new draft dossier from a stored one (see domain.dossier_copy); returns its id."""
    from achatsdesk.domain.dossier_copy import copy_for_new_consultation

    return create_dossier(database, copy_for_new_consultation(get_dossier(database, dossier_id).dossier))


def get_dossier(database: Database, dossier_id: int) -> StoredDossier:
    with database.unit_of_work() as session:
        stored = dossiers_repo.load(session, dossiers_repo.get_row(session, dossier_id))
    dossier_versions.remember(database, stored.id, stored.revision, stored.dossier)
    return stored


def list_dossiers(database: Database, status: str | None = None, text: str = "") -> list[DossierSummary]:
    """The dossiers, most recently changed first, optionally filtered by status and words of the title."""
    from sqlalchemy import text as sql

    with database.shared_engine.connect() as conn:
        rows = conn.execute(sql(dossier_summaries.summaries_query()), {"status": status or None})
        return dossier_summaries.summaries_from_rows(rows, text)


def count_dossiers(database: Database) -> int:
    from sqlalchemy import text as sql

    with database.shared_engine.connect() as conn:
        return conn.execute(sql(dossier_summaries.COUNT_QUERY)).scalar_one()


def delete_dossier(database: Database, dossier_id: int) -> None:
    with database.unit_of_work() as session:
        dossiers_repo.delete_dossier(session, dossier_id)
    dossier_versions.forget(database, dossier_id)


def set_status(database: Database, dossier_id: int, status: str) -> None:
    with database.unit_of_work() as session:
        row = dossiers_repo.get_row(session, dossier_id)
        row.status = DossierStatus(status).value
        dossiers_repo.touch(row)


def record_review(database: Database, dossier_id: int, decision: str, reviewer: str, comment: str = "",
                  now: datetime | None = None) -> ReviewDecision:
    """The head's decision: added to the history and sets the dossier's status, in one transaction."""
    review = make_decision(decision, reviewer, comment, now)
    with database.unit_of_work() as session:
        row = dossiers_repo.get_row(session, dossier_id)
        dossiers_repo.add_review(session, row, review)
        row.status = STATUS_AFTER[review.decision]  # a sending makes it "à relire"
        dossiers_repo.touch(row)
    return review
