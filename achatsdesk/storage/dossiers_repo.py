"""The dossier rows and the domain Dossier: reading and writing one dossier inside a session.

Every function takes an open session, so that a service composes them in one
unit of work. Money is stored in integer cents; child rows (CPV codes, lots,
checklist answers, clause selections) are rewritten as a whole at each save,
so a killed process leaves either the previous save or the new one.
"""

from __future__ import annotations

import getpass
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import (
    Buyer,
    BuyerKind,
    ClauseSelection,
    ContractKind,
    Dossier,
    DossierStatus,
    InsertionFactors,
    Lot,
    Nature,
    to_amount,
)
from achatsdesk.domain.review import ReviewDecision
from achatsdesk.errors import NotFoundError, StaleDossierError, ValidationError
from achatsdesk.storage.models.dossiers import (
    DossierClauseRow,
    DossierCpvRow,
    DossierItemRow,
    DossierLotRow,
    DossierReviewRow,
    DossierRow,
)
from achatsdesk.storage.models.team import DossierChangeRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredDossier:
    id: int
    dossier: Dossier
    revision: int  # +1 at each save: a save names the revision it started from
    created_at: datetime
    updated_at: datetime
    shortlist_snapshot: dict[str, Any] | None = None


def _cents(euros: Decimal | int | None) -> int | None:
    return None if euros is None else int(to_amount(euros) * 100)


def euros(cents: int | None) -> Decimal | None:
    return None if cents is None else to_amount(Decimal(int(cents)).scaleb(-2))


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def author() -> str:
    """Who is saving, as written in ``dossier.updated_by`` by the application: the system user's
    name. (On the team server a trigger replaces it by the login role, whatever is sent.)"""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor in the password database
        return ""


def _not_found(dossier_id: int) -> NotFoundError:
    return NotFoundError(f"Le dossier n° {dossier_id} n'existe pas.", hint="Vérifiez le numéro avec « dossier list ».")


def get_row(session: Session, dossier_id: int) -> DossierRow:
    row = session.get(DossierRow, dossier_id)
    if row is None:
        raise _not_found(dossier_id)
    return row


def trashed_rows(session: Session, deleted_before: datetime | None = None) -> list[DossierRow]:
    """The dossiers in the Corbeille (put there before ``deleted_before`` when given), most recently
    deleted first."""
    query = select(DossierRow).where(DossierRow.deleted_at.is_not(None))
    if deleted_before is not None:
        query = query.where(DossierRow.deleted_at < deleted_before)
    return list(session.scalars(query.order_by(DossierRow.deleted_at.desc(), DossierRow.id.desc())))


def delete_dossier(session: Session, dossier_id: int) -> None:
    """The dossier and its child rows (ON DELETE CASCADE)."""
    session.delete(get_row(session, dossier_id))


def find_id_by_uid(session: Session, uid: str) -> int | None:
    return session.scalar(select(DossierRow.id).where(DossierRow.uid == uid))


CHILD_PARTS = ("cpv", "lots", "items", "clauses")  # the parts of a Dossier stored in rows of their own


def changed_parts(dossier: Dossier, stored: Dossier | None) -> set[str]:
    """The parts of ``CHILD_PARTS`` that differ from ``stored`` (all of them without a stored version)."""
    return {part for part in CHILD_PARTS if stored is None or getattr(stored, part) != getattr(dossier, part)}


def _write_children(session: Session, dossier_id: int, dossier: Dossier, stored: Dossier | None = None) -> None:
    """The dossier's CPV codes, lots, answers and clauses, rewritten; with ``stored`` (the version being
    replaced), a part equal to its stored value is left as it is: its rows are a function of that value,
    and each rewrite costs a DELETE and an INSERT (round trips to the team server)."""
    parts = changed_parts(dossier, stored)

    def changed(part: str) -> bool:
        return part in parts

    if changed("cpv"):
        session.execute(delete(DossierCpvRow).where(DossierCpvRow.dossier_id == dossier_id))
        session.add_all(DossierCpvRow(dossier_id=dossier_id, position=i, code=code) for i, code in enumerate(dossier.cpv))
    if changed("lots"):
        session.execute(delete(DossierLotRow).where(DossierLotRow.dossier_id == dossier_id))
        session.add_all(
            DossierLotRow(dossier_id=dossier_id, position=i, title=lot.title, cpv=lot.cpv,
                          amount_cents=_cents(lot.amount_eur) or 0, small_lot=lot.small_lot)
            for i, lot in enumerate(dossier.lots)
        )
    if changed("items"):
        session.execute(delete(DossierItemRow).where(DossierItemRow.dossier_id == dossier_id))
        session.add_all(
            DossierItemRow(dossier_id=dossier_id, item_id=item_id, status=state.status.value,
                           justification=state.justification, exemption_case=state.exemption_case, comment=state.comment)
            for item_id, state in dossier.items.items()
        )
    if changed("clauses"):
        session.execute(delete(DossierClauseRow).where(DossierClauseRow.dossier_id == dossier_id))
        session.add_all(
            DossierClauseRow(dossier_id=dossier_id, position=i, clause_id=c.clause_id, version=c.version,
                             variables_json=json.dumps(c.variables, ensure_ascii=False, sort_keys=True), lot=c.lot)
            for i, c in enumerate(dossier.clauses)
        )


def _row_values(dossier: Dossier) -> dict[str, Any]:
    """The dossier row's own columns, from the domain object."""
    return {
        "title": dossier.title,
        "reference": dossier.reference,
        "buyer_name": dossier.buyer.name,
        "buyer_kind": dossier.buyer.kind.value,
        "buyer_annual_purchases_cents": _cents(dossier.buyer.annual_purchases_eur),
        "nature": dossier.nature.value,
        "estimated_amount_cents": _cents(dossier.estimated_amount_eur) or 0,
        "duration_months": dossier.duration_months,
        "place_insee": dossier.place_insee,
        "launch_date": dossier.launch_date,
        "status": dossier.status.value,
        "shortlist_id": dossier.shortlist_id,
        "contract_kind": dossier.contract_kind.value,
        "framework_max_cents": _cents(dossier.framework_max_eur),
        "amount_includes": ",".join(dossier.amount_includes),
        "agec_included_supplies": ",".join(dossier.agec_included_supplies),
        "insertion_json": (
            json.dumps(dossier.insertion.to_dict(), sort_keys=True) if dossier.insertion is not None else None
        ),
    }


def _fill_row(row: DossierRow, dossier: Dossier) -> None:
    for name, value in _row_values(dossier).items():
        setattr(row, name, value)


def insertion_factors(dossier_id: int, stored: str | None) -> InsertionFactors | None:
    """The sizing factors stored with a dossier (its insertion_json); None: the defaults."""
    if not stored:
        return None
    try:
        return InsertionFactors.from_dict(json.loads(stored))
    except (ValueError, ValidationError) as exc:
        # Only a hand-edited database gets here: the dossier still opens, with the
        # default factors, rather than becoming unreachable for one bad value.
        log.warning("dossier %s: unreadable insertion factors, defaults used: %s", dossier_id, exc)
        return None


def load(session: Session, row: DossierRow) -> StoredDossier:
    did = row.id
    cpv = session.scalars(select(DossierCpvRow).where(DossierCpvRow.dossier_id == did).order_by(DossierCpvRow.position))
    lots = session.scalars(select(DossierLotRow).where(DossierLotRow.dossier_id == did).order_by(DossierLotRow.position))
    items = session.scalars(select(DossierItemRow).where(DossierItemRow.dossier_id == did))
    clauses = session.scalars(select(DossierClauseRow).where(DossierClauseRow.dossier_id == did).order_by(DossierClauseRow.position))
    reviews = session.scalars(select(DossierReviewRow).where(DossierReviewRow.dossier_id == did).order_by(DossierReviewRow.id))
    return _stored(row, list(cpv), list(lots), list(items), list(clauses), list(reviews))


# The indicators read hundreds of dossiers whole: one query per table for a batch of them, not one
# per dossier and table (each query is a round trip to the team server). Batches stay far below
# SQLite's limit on bound parameters.
_BATCH = 500


def load_many(session: Session, dossier_ids: list[int]) -> dict[int, StoredDossier]:
    """The dossiers of ``dossier_ids`` (those that exist), read as ``load`` reads each one; by id."""
    found: dict[int, StoredDossier] = {}
    for start in range(0, len(dossier_ids), _BATCH):
        ids = dossier_ids[start:start + _BATCH]
        children: dict[type, dict[int, list]] = {}
        for table, order in ((DossierCpvRow, DossierCpvRow.position), (DossierLotRow, DossierLotRow.position),
                             (DossierItemRow, DossierItemRow.item_id), (DossierClauseRow, DossierClauseRow.position),
                             (DossierReviewRow, DossierReviewRow.id)):
            by_dossier: dict[int, list] = children.setdefault(table, {})
            for child in session.scalars(select(table).where(table.dossier_id.in_(ids)).order_by(table.dossier_id, order)):
                by_dossier.setdefault(child.dossier_id, []).append(child)
        for row in session.scalars(select(DossierRow).where(DossierRow.id.in_(ids))):
            found[row.id] = _stored(row, *(children[table].get(row.id, []) for table in
                                           (DossierCpvRow, DossierLotRow, DossierItemRow, DossierClauseRow,
                                            DossierReviewRow)))
    return found


def _stored(row: DossierRow, cpv: list[DossierCpvRow], lots: list[DossierLotRow], items: list[DossierItemRow],
            clauses: list[DossierClauseRow], reviews: list[DossierReviewRow]) -> StoredDossier:
    dossier = Dossier(
        title=row.title,
        reference=row.reference,
        buyer=Buyer(row.buyer_name, BuyerKind(row.buyer_kind), euros(row.buyer_annual_purchases_cents)),
        nature=Nature(row.nature),
        cpv=[c.code for c in cpv],
        estimated_amount_eur=euros(row.estimated_amount_cents) or Decimal(0),
        duration_months=row.duration_months,
        place_insee=row.place_insee,
        launch_date=row.launch_date,
        lots=[Lot(lot.title, lot.cpv, euros(lot.amount_cents) or Decimal(0), lot.small_lot) for lot in lots],
        status=DossierStatus(row.status),
        clauses=[ClauseSelection(c.clause_id, c.version, json.loads(c.variables_json or "{}"), c.lot) for c in clauses],
        uid=row.uid,
        items={i.item_id: ItemState(ItemStatus(i.status), i.justification, i.exemption_case, i.comment) for i in items},
        reviews=[ReviewDecision.from_dict({"decision": r.decision, "reviewer": r.reviewer,
                                           "decided_at": r.decided_at.isoformat(), "comment": r.comment}) for r in reviews],
        shortlist_id=row.shortlist_id,
        insertion=insertion_factors(row.id, row.insertion_json),
        contract_kind=ContractKind(row.contract_kind or "marche"),
        framework_max_eur=euros(row.framework_max_cents),
        amount_includes=[v for v in (row.amount_includes or "").split(",") if v],
        agec_included_supplies=[v for v in (row.agec_included_supplies or "").split(",") if v],
    )
    snapshot = json.loads(row.shortlist_snapshot) if row.shortlist_snapshot else None
    return StoredDossier(row.id, dossier, row.revision, row.created_at, row.updated_at, snapshot)


def insert(session: Session, dossier: Dossier, shortlist_snapshot: dict[str, Any] | None = None) -> int:
    """A new dossier row with its children and its review history; returns its id."""
    stamp = now()
    if not dossier.uid:
        dossier.uid = str(uuid.uuid4())
    row = DossierRow(uid=dossier.uid, revision=1, created_at=stamp, updated_at=stamp, updated_by=author(),
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


def replace_content(session: Session, dossier_id: int, dossier: Dossier, revision: int,
                    stored: Dossier | None = None) -> int:
    """Overwrite the row and its children with ``dossier`` (the review history stays), provided the
    stored revision still is ``revision``; returns the new revision.

    The revision is claimed first, by one guarded UPDATE inside the write transaction, so another
    process saving between the caller's read and this write is detected (StaleDossierError naming
    who saved, nothing written), never overwritten. On PostgreSQL (READ COMMITTED) the claim waits
    for a concurrent saver's transaction to end and then re-reads the row: of two savers from the
    same revision exactly one claims it. The row's own columns go in that same UPDATE: one
    statement, one run of the server's triggers and one notification to colleagues, at the new
    revision. ``stored`` (the version being replaced, when the caller has it) lets the children
    that did not change stay as they are.
    """
    stamp = now()
    claimed = session.execute(
        update(DossierRow).where(DossierRow.id == dossier_id, DossierRow.revision == revision)
        .values(revision=revision + 1, updated_at=stamp, updated_by=author(), **_row_values(dossier))
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise stale_error(session, dossier_id, revision)
    loaded = session.identity_map.get(identity_key(DossierRow, dossier_id))
    if loaded is not None:  # the caller's copy of the row predates the UPDATE
        session.expire(loaded)
    _write_children(session, dossier_id, dossier, stored)
    return revision + 1


def stale_error(session: Session, dossier_id: int, revision: int) -> StaleDossierError | NotFoundError:
    """The refusal of a save from ``revision``, naming who saved the stored revision and when (or
    saying that the dossier no longer exists: deleted meanwhile).

    The history (``dossier_change``, written by triggers) is asked first: ``updated_by`` also
    changes when a colleague only takes the soft lock (the server's trigger stamps every update).
    """
    stored = session.execute(select(DossierRow.revision, DossierRow.updated_by, DossierRow.updated_at)
                             .where(DossierRow.id == dossier_id)).first()
    if stored is None:
        return _not_found(dossier_id)
    change = session.execute(
        select(DossierChangeRow.changed_by, DossierChangeRow.changed_at)
        .where(DossierChangeRow.dossier_id == dossier_id, DossierChangeRow.revision == stored.revision)
        .order_by(DossierChangeRow.id.desc()).limit(1)
    ).first()
    by, at = (change.changed_by, change.changed_at) if change is not None else (stored.updated_by, stored.updated_at)
    return StaleDossierError(dossier_id, revision, stored.revision, by or "", at)


def mark_taken(session: Session, dossier_id: int, revision: int, user: str, taken_at: datetime) -> bool:
    """Mark the dossier taken away offline by ``user``, only at ``revision`` and when nobody has taken it
    (one guarded UPDATE, no new revision); False when a colleague saved or took it meanwhile."""
    return session.execute(
        update(DossierRow)
        .where(DossierRow.id == dossier_id, DossierRow.revision == revision, DossierRow.taken_by.is_(None))
        .values(taken_by=user, taken_at=taken_at).execution_options(synchronize_session=False)
    ).rowcount == 1


def touch(row: DossierRow) -> None:
    """One more revision for a workflow write (status, review decision), counted by the database
    itself so that a save of another process in between is not hidden by an equal number."""
    row.revision = DossierRow.revision + 1
    row.updated_at = now()
    row.updated_by = author()


def add_review(session: Session, row: DossierRow, review: ReviewDecision) -> None:
    session.add(DossierReviewRow(dossier_id=row.id, decision=review.decision.value, reviewer=review.reviewer,
                                 comment=review.comment, decided_at=review.decided_at))

