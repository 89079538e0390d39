"""Edits of a stored dossier the way the editor makes them: read it, change the copy in
memory, save it with the revision it was read at (the one write path, save_dossier)."""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc


def edit(database, dossier_id: int, change: Callable[[Dossier], None]) -> int:
    """Apply ``change`` to the stored dossier and save it; returns the new revision."""
    stored = svc.get_dossier(database, dossier_id)
    change(stored.dossier)
    return svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)


def save(database, dossier_id: int, dossier: Dossier) -> int:
    """Save ``dossier`` over the stored one from its current revision (a test's fresh copy)."""
    return svc.save_dossier(database, dossier_id, dossier, svc.get_dossier(database, dossier_id).revision)


def answer(database, dossier_id: int, item_id: str, status: str, justification: str = "",
           exemption_case: str | None = None) -> int:
    """The buyer's answer to one checklist item (the reviewer's comment on it is kept)."""
    def change(dossier: Dossier) -> None:
        previous = dossier.items.get(item_id, ItemState())
        dossier.items[item_id] = ItemState(ItemStatus(status), justification, exemption_case, previous.comment)

    return edit(database, dossier_id, change)


def comment(database, dossier_id: int, item_id: str, text: str) -> int:
    """The reviewer's comment on one item."""
    def change(dossier: Dossier) -> None:
        state = dossier.items.get(item_id, ItemState())
        state.comment = text
        dossier.items[item_id] = state

    return edit(database, dossier_id, change)


def choose_clause(database, dossier_id: int, selection) -> int:
    """The buyer adds a clause (a ClauseSelection) to the dossier."""
    return edit(database, dossier_id, lambda dossier: dossier.clauses.append(selection))


def drop_clause(database, dossier_id: int, clause_id: str, lot: int | None = None) -> int:
    """The buyer removes the clause ``clause_id`` chosen for ``lot`` (None: the whole contract)."""
    def change(dossier: Dossier) -> None:
        dossier.clauses = [c for c in dossier.clauses if not (c.clause_id == clause_id and c.lot == lot)]

    return edit(database, dossier_id, change)
