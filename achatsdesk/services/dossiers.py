"""Use cases of the dossiers area: store, list, read, delete; checklist answers;
clause selections; review decisions.

Each call is one unit of work (one transaction): a dossier is always saved as
a whole, so an interrupted save leaves the previous version intact. The
window's autosave calls ``save_dossier`` about once a second while typing.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from achatsdesk.domain.checklist import ItemState, ItemStatus, validate_state
from achatsdesk.domain.dossier import (
    REOPENED_BY_A_CHANGE,
    Buyer,
    BuyerKind,
    ClauseSelection,
    Dossier,
    DossierStatus,
    InsertionFactors,
    Lot,
    Nature,
    status_after_change,
    to_amount,
)
from achatsdesk.domain.review import STATUS_AFTER, ReviewDecision, make_decision
from achatsdesk.errors import NotFoundError, StorageError, ValidationError
from achatsdesk.services.dossier_rules import analyse, check_dossier, rule_resources
from achatsdesk.storage import dossier_summaries
from achatsdesk.storage.database import Database
from achatsdesk.storage.dossier_summaries import DossierSummary
from achatsdesk.storage.models.dossiers import (
    DossierClauseRow,
    DossierCpvRow,
    DossierItemRow,
    DossierLotRow,
    DossierReviewRow,
    DossierRow,
)

log = logging.getLogger(__name__)

__all__ = ["add_clause", "check_dossier", "create_dossier", "get_dossier", "list_dossiers", "record_review",
           "remove_clause", "save_dossier", "set_item_status", "update_clause_variables"]


@dataclass(frozen=True)
class StoredDossier:
    id: int
    dossier: Dossier
    revision: int
    created_at: datetime
    updated_at: datetime
    shortlist_snapshot: dict[str, Any] | None = None


def _cents(euros: Decimal | int | None) -> int | None:
    return None if euros is None else int(to_amount(euros) * 100)


def _euros(cents: int | None) -> Decimal | None:
    return None if cents is None else to_amount(Decimal(int(cents)).scaleb(-2))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- rows <-> domain --------------------------------------------------------
def _write_children(session: Session, dossier_id: int, dossier: Dossier, clauses: bool = True) -> None:
    tables = (DossierCpvRow, DossierLotRow, DossierItemRow) + ((DossierClauseRow,) if clauses else ())
    for table in tables:
        session.execute(delete(table).where(table.dossier_id == dossier_id))
    session.add_all(DossierCpvRow(dossier_id=dossier_id, position=i, code=code) for i, code in enumerate(dossier.cpv))
    session.add_all(
        DossierLotRow(dossier_id=dossier_id, position=i, title=lot.title, cpv=lot.cpv, amount_cents=_cents(lot.amount_eur) or 0)
        for i, lot in enumerate(dossier.lots)
    )
    session.add_all(
        DossierItemRow(dossier_id=dossier_id, item_id=item_id, status=state.status.value,
                       justification=state.justification, exemption_case=state.exemption_case, comment=state.comment)
        for item_id, state in dossier.items.items()
    )
    if clauses:
        session.add_all(
            DossierClauseRow(dossier_id=dossier_id, position=i, clause_id=c.clause_id, version=c.version,
                             variables_json=json.dumps(c.variables, ensure_ascii=False, sort_keys=True), lot=c.lot)
            for i, c in enumerate(dossier.clauses)
        )


def _fill_row(row: DossierRow, dossier: Dossier) -> None:
    row.title = dossier.title
    row.reference = dossier.reference
    row.buyer_name = dossier.buyer.name
    row.buyer_kind = dossier.buyer.kind.value
    row.buyer_annual_purchases_cents = _cents(dossier.buyer.annual_purchases_eur)
    row.nature = dossier.nature.value
    row.estimated_amount_cents = _cents(dossier.estimated_amount_eur) or 0
    row.duration_months = dossier.duration_months
    row.place_insee = dossier.place_insee
    row.launch_date = dossier.launch_date
    row.status = dossier.status.value
    row.shortlist_id = dossier.shortlist_id
    row.insertion_json = (
        json.dumps(dossier.insertion.to_dict(), sort_keys=True) if dossier.insertion is not None else None
    )


def _load(session: Session, row: DossierRow) -> StoredDossier:
    did = row.id
    cpv = session.scalars(select(DossierCpvRow.code).where(DossierCpvRow.dossier_id == did).order_by(DossierCpvRow.position))
    lots = session.scalars(select(DossierLotRow).where(DossierLotRow.dossier_id == did).order_by(DossierLotRow.position))
    items = session.scalars(select(DossierItemRow).where(DossierItemRow.dossier_id == did))
    clauses = session.scalars(select(DossierClauseRow).where(DossierClauseRow.dossier_id == did).order_by(DossierClauseRow.position))
    reviews = session.scalars(select(DossierReviewRow).where(DossierReviewRow.dossier_id == did).order_by(DossierReviewRow.id))
    dossier = Dossier(
        title=row.title,
        reference=row.reference,
        buyer=Buyer(row.buyer_name, BuyerKind(row.buyer_kind), _euros(row.buyer_annual_purchases_cents)),
        nature=Nature(row.nature),
        cpv=list(cpv),
        estimated_amount_eur=_euros(row.estimated_amount_cents) or Decimal(0),
        duration_months=row.duration_months,
        place_insee=row.place_insee,
        launch_date=row.launch_date,
        lots=[Lot(lot.title, lot.cpv, _euros(lot.amount_cents) or Decimal(0)) for lot in lots],
        status=DossierStatus(row.status),
        clauses=[ClauseSelection(c.clause_id, c.version, json.loads(c.variables_json or "{}"), c.lot) for c in clauses],
        uid=row.uid,
        items={i.item_id: ItemState(ItemStatus(i.status), i.justification, i.exemption_case, i.comment) for i in items},
        reviews=[ReviewDecision.from_dict({"decision": r.decision, "reviewer": r.reviewer,
                                           "decided_at": r.decided_at.isoformat(), "comment": r.comment}) for r in reviews],
        shortlist_id=row.shortlist_id,
        insertion=_insertion(row),
    )
    snapshot = json.loads(row.shortlist_snapshot) if row.shortlist_snapshot else None
    return StoredDossier(row.id, dossier, row.revision, row.created_at, row.updated_at, snapshot)


def _insertion(row: DossierRow) -> InsertionFactors | None:
    if not row.insertion_json:
        return None
    try:
        return InsertionFactors.from_dict(json.loads(row.insertion_json))
    except (ValueError, ValidationError) as exc:
        # Only a hand-edited database gets here: the dossier still opens, with the
        # default factors, rather than becoming unreachable for one bad value.
        log.warning("dossier %s: unreadable insertion factors, defaults used: %s", row.id, exc)
        return None


def _row(session: Session, dossier_id: int) -> DossierRow:
    row = session.get(DossierRow, dossier_id)
    if row is None:
        raise NotFoundError(f"Le dossier n° {dossier_id} n'existe pas.", hint="Vérifiez le numéro avec « dossier list ».")
    return row


# --- use cases --------------------------------------------------------------
def insert_dossier(session: Session, dossier: Dossier, shortlist_snapshot: dict[str, Any] | None = None) -> int:
    """Store a new dossier in an open session (the exchange import reuses it); review history included."""
    now = _now()
    if not dossier.uid:
        dossier.uid = str(uuid.uuid4())
    row = DossierRow(uid=dossier.uid, revision=1, created_at=now, updated_at=now,
                     shortlist_snapshot=json.dumps(shortlist_snapshot, ensure_ascii=False) if shortlist_snapshot else None)
    _fill_row(row, dossier)
    session.add(row)
    session.flush()
    _write_children(session, row.id, dossier)
    session.add_all(
        DossierReviewRow(dossier_id=row.id, decision=r.decision.value, reviewer=r.reviewer, comment=r.comment,
                         decided_at=r.decided_at)
        for r in dossier.reviews
    )
    return row.id


def create_dossier(database: Database, dossier: Dossier) -> int:
    with database.unit_of_work() as session:
        return insert_dossier(session, dossier)


def save_dossier(database: Database, dossier_id: int, dossier: Dossier, expected_revision: int | None = None,
                 *, clauses: bool = True) -> int:
    """Replace the stored dossier by ``dossier`` in one transaction; returns the new revision.

    The review history is not rewritten here: decisions are only added by ``record_review``.
    ``clauses=False`` leaves the clause selections as stored: the editor's autosave uses it,
    since the clause library changes them through add_clause / remove_clause meanwhile.
    A change of content of a validated dossier (or one under review) sends it back to draft
    (``dossier.status`` is updated): the decision covered the dossier as it was.
    """
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        if expected_revision is not None and row.revision != expected_revision:
            raise StorageError(
                "Ce dossier a été modifié ailleurs depuis son ouverture.",
                hint="Fermez-le puis rouvrez-le pour voir la dernière version.",
            )
        # Only a validated dossier or one under review can be reopened, and only by a change of
        # content, not by a workflow change the caller asks for (another status).
        if dossier.status.value == row.status and DossierStatus(row.status) in REOPENED_BY_A_CHANGE:
            stored = _load(session, row).dossier
            compared = dossier if clauses else replace(dossier, clauses=stored.clauses)
            dossier.status = status_after_change(dossier.status, stored, compared)
        _fill_row(row, dossier)
        row.revision += 1
        row.updated_at = _now()
        _write_children(session, dossier_id, dossier, clauses)
        return row.revision


def duplicate_dossier(database: Database, dossier_id: int) -> int:
    """A new draft dossier from a stored one (see domain.dossier_copy); returns its id."""
    from achatsdesk.domain.dossier_copy import copy_for_new_consultation

    return create_dossier(database, copy_for_new_consultation(get_dossier(database, dossier_id).dossier))


def get_dossier(database: Database, dossier_id: int) -> StoredDossier:
    with database.unit_of_work() as session:
        return _load(session, _row(session, dossier_id))


def list_dossiers(database: Database, status: str | None = None, text: str = "") -> list[DossierSummary]:
    """The dossiers, most recently changed first, optionally filtered by status and words of the title."""
    with database.engine.connect() as conn:
        return dossier_summaries.read_summaries(conn.connection.driver_connection, status, text)


def count_dossiers(database: Database) -> int:
    with database.engine.connect() as conn:
        return dossier_summaries.count_dossiers(conn.connection.driver_connection)


def delete_dossier(database: Database, dossier_id: int) -> None:
    with database.unit_of_work() as session:
        session.delete(_row(session, dossier_id))


def set_item_status(database: Database, dossier_id: int, item_id: str, status: str, justification: str = "",
                    exemption_case: str | None = None) -> ItemState:
    """Record the buyer's answer to a checklist item; "sans objet" on a mandatory item needs a justification."""
    stored = get_dossier(database, dossier_id)
    dossier = stored.dossier
    item = next((i for s in analyse(dossier).steps for i in s.items if i.id == item_id), None)
    if item is None:
        raise ValidationError(f"L'élément « {item_id} » ne figure pas dans la check-list de ce dossier.")
    try:
        new_status = ItemStatus(status)
    except ValueError:
        raise ValidationError("Le statut doit être a_faire, fait ou sans_objet.") from None
    previous = dossier.items.get(item_id, ItemState())
    state = ItemState(new_status, justification.strip(), exemption_case, previous.comment)
    validate_state(item, state, rule_resources().checklist)
    dossier.items[item_id] = state
    save_dossier(database, dossier_id, dossier)
    return state


def set_item_comment(database: Database, dossier_id: int, item_id: str, comment: str) -> None:
    """The reviewer's comment on one item."""
    stored = get_dossier(database, dossier_id)
    state = stored.dossier.items.get(item_id, ItemState())
    state.comment = comment.strip()
    stored.dossier.items[item_id] = state
    save_dossier(database, dossier_id, stored.dossier)


def set_status(database: Database, dossier_id: int, status: str) -> None:
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        row.status = DossierStatus(status).value
        row.revision += 1
        row.updated_at = _now()


def record_review(database: Database, dossier_id: int, decision: str, reviewer: str, comment: str = "",
                  now: datetime | None = None) -> ReviewDecision:
    """The head's decision: added to the history and sets the dossier's status, in one transaction."""
    review = make_decision(decision, reviewer, comment, now)
    with database.unit_of_work() as session:
        row = _row(session, dossier_id)
        session.add(DossierReviewRow(dossier_id=dossier_id, decision=review.decision.value, reviewer=review.reviewer,
                                     comment=review.comment, decided_at=review.decided_at))
        row.status = STATUS_AFTER[review.decision]  # a sending makes it "à relire"
        row.revision += 1
        row.updated_at = _now()
    return review


# --- clause selections (called by the clause library) -------------------------
def _same(c: ClauseSelection, clause_id: str, lot: int | None) -> bool:
    return c.clause_id == clause_id and c.lot == lot


def add_clause(database: Database, dossier_id: int, selection: ClauseSelection) -> int:
    """Add a clause to the dossier (or replace the same clause for the same lot); returns its position."""
    stored = get_dossier(database, dossier_id)
    clauses = stored.dossier.clauses
    for index, existing in enumerate(clauses):
        if _same(existing, selection.clause_id, selection.lot):
            clauses[index] = selection
            save_dossier(database, dossier_id, stored.dossier)
            return index
    clauses.append(selection)
    save_dossier(database, dossier_id, stored.dossier)
    return len(clauses) - 1


def update_clause_variables(database: Database, dossier_id: int, clause_id: str, variables: dict[str, Any],
                            lot: int | None = None) -> None:
    stored = get_dossier(database, dossier_id)
    selection = next((c for c in stored.dossier.clauses if _same(c, clause_id, lot)), None)
    if selection is None:
        raise NotFoundError(f"La clause « {clause_id} » n'est pas sélectionnée dans ce dossier.")
    selection.variables = dict(variables)
    save_dossier(database, dossier_id, stored.dossier)


def remove_clause(database: Database, dossier_id: int, clause_id: str, lot: int | None = None) -> bool:
    """Remove a selected clause; False when it was not selected."""
    stored = get_dossier(database, dossier_id)
    before = len(stored.dossier.clauses)
    stored.dossier.clauses = [c for c in stored.dossier.clauses if not _same(c, clause_id, lot)]
    if len(stored.dossier.clauses) == before:
        return False
    save_dossier(database, dossier_id, stored.dossier)
    return True


def list_clauses(database: Database, dossier_id: int) -> list[ClauseSelection]:
    return get_dossier(database, dossier_id).dossier.clauses
