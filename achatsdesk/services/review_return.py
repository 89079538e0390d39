"""A review that comes back to the same dossier.

The buyer sends a dossier (a round "envoyé" in its history and an exchange
file); the head imports it, decides (validé / à reprendre, with a comment and
item comments) and sends the file back. Importing that file where the dossier
already is (same uid, and a local history of rounds that the file's history
continues) merges what is new into the local dossier instead of keeping a copy
beside it:

- rounds decided by the head: the decisions, their comments and the item
  comments are added; the buyer's content stays as it is here;
- a round sent again by the buyer (the head's home receiving the reworked
  dossier): the content is the sender's, with the rounds added.

A file whose history does not continue the local one (another dossier that
happens to share the uid, or one changed on both sides) is still imported as a
copy beside, never merged. ``preview_return`` says what would change before
anything is written; the caller shows it and asks.

The merge goes through the public service functions (save_dossier, then
record_review per new round): should it stop half-way, importing the same
file again merges the rounds still missing, since the local history is then a
longer prefix of the file's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from achatsdesk.domain.checklist import ItemState
from achatsdesk.domain.dossier import STATUS_LABELS, Dossier, DossierStatus, content_of
from achatsdesk.domain.formatting import format_date_field
from achatsdesk.domain.review import DECISION_LABELS, STATUS_AFTER, Decision, ReviewDecision
from achatsdesk.services import dossiers as service
from achatsdesk.services.dossier_exchange import ImportOutcome, import_dossier, read_exchange_file
from achatsdesk.storage import dossiers_repo
from achatsdesk.storage.database import Database


@dataclass(frozen=True)
class ReturnPreview:
    """What merging an exchange file into the local dossier would change."""

    dossier_id: int
    title: str
    status_before: DossierStatus
    status_after: DossierStatus
    new_rounds: tuple[ReviewDecision, ...]
    comment_changes: tuple[tuple[str, str, str], ...] = ()  # item id, comment here, comment in the file
    takes_content: bool = False  # a round sent again: the file's content replaces the local one
    changed_here: bool = False  # the buyer changed the dossier since sending it: a validation covers the old one
    incoming: Dossier | None = field(default=None, compare=False, repr=False)

    def lines(self, item_title: Callable[[str], str] = lambda item_id: item_id) -> list[str]:
        """The changes in French, one per line, for the confirmation dialog."""
        lines = [f"Statut : {STATUS_LABELS[self.status_before]} → {STATUS_LABELS[self.status_after]}"]
        for r in self.new_rounds:
            who = f" par {r.reviewer}" if r.reviewer else ""
            said = f" : « {r.comment} »" if r.comment else ""
            lines.append(f"{DECISION_LABELS[r.decision]}{who}, le {format_date_field(r.decided_at.date())}{said}")
        for item_id, _before, after in self.comment_changes:
            lines.append(f"Commentaire sur « {item_title(item_id)} » : « {after} »" if after
                         else f"Commentaire retiré sur « {item_title(item_id)} »")
        if self.takes_content:
            lines.append("Le contenu du dossier est remplacé par la version reçue (renvoyée par l'acheteur).")
        if self.changed_here:
            lines.append("Le dossier a été modifié ici depuis son envoi : la décision porte sur la version envoyée, "
                         "il reste en brouillon tant qu'il n'est pas renvoyé en relecture.")
        return lines


@dataclass(frozen=True)
class MergeOutcome:
    dossier_id: int
    title: str
    status: DossierStatus
    rounds_added: int


def _local_id(database: Database, uid: str) -> int | None:
    if not uid:
        return None
    with database.unit_of_work() as session:
        return dossiers_repo.find_id_by_uid(session, uid)


def _continues(local: list[ReviewDecision], incoming: list[ReviewDecision]) -> bool:
    return len(incoming) >= len(local) and incoming[:len(local)] == local


def _comment_changes(local: Dossier, incoming: Dossier) -> tuple[tuple[str, str, str], ...]:
    changes = []
    for item_id in sorted(set(local.items) | set(incoming.items)):
        before = local.items[item_id].comment if item_id in local.items else ""
        after = incoming.items[item_id].comment if item_id in incoming.items else ""
        if before != after:
            changes.append((item_id, before, after))
    return tuple(changes)


def preview_return(database: Database, path: Path) -> ReturnPreview | None:
    """The merge this file would make, or None when it is to be imported as a new dossier."""
    incoming, _shortlist = read_exchange_file(Path(path))
    local_id = _local_id(database, incoming.uid)
    if local_id is None:
        return None
    local = service.get_dossier(database, local_id).dossier
    if not _continues(local.reviews, incoming.reviews):
        return None
    new_rounds = tuple(incoming.reviews[len(local.reviews):])
    takes_content = any(r.decision == Decision.ENVOYE for r in new_rounds)
    comments = _comment_changes(local, incoming)
    if not new_rounds and not comments:
        return None  # the same dossier as here: nothing to merge, a copy beside as before
    status_after = DossierStatus(STATUS_AFTER[new_rounds[-1].decision]) if new_rounds else local.status
    changed_here = not takes_content and _content(local) != _content(incoming)
    if changed_here and status_after == DossierStatus.VALIDE:
        status_after = DossierStatus.BROUILLON
    return ReturnPreview(local_id, local.title, local.status, status_after, new_rounds, comments,
                         takes_content, changed_here, incoming)


def _content(dossier: Dossier) -> dict:
    """What a decision covers, the local shortlist id aside (it means nothing on another machine)."""
    data = content_of(dossier)
    data.pop("shortlist_id", None)
    return data


def apply_return(database: Database, preview: ReturnPreview) -> MergeOutcome:
    """Merge the previewed rounds and comments into the local dossier."""
    from achatsdesk.services import trash

    if trash.is_trashed(database, preview.dossier_id):  # the return brings it back from the Corbeille
        trash.restore(database, preview.dossier_id)
    stored = service.get_dossier(database, preview.dossier_id)
    local = stored.dossier
    incoming = preview.incoming
    if preview.takes_content and incoming is not None:
        merged = copy.deepcopy(incoming)
        merged.shortlist_id = local.shortlist_id  # local ids; the snapshot stays as received the first time
        merged.reviews = local.reviews
        merged.status = local.status
    else:
        merged = copy.deepcopy(local)
        for item_id, _before, after in preview.comment_changes:
            state = merged.items.get(item_id) or ItemState()
            state.comment = after
            merged.items[item_id] = state
    # From the revision the merge was computed on: a save in between is refused, never overwritten.
    service.save_dossier(database, preview.dossier_id, merged, stored.revision)
    for r in preview.new_rounds:
        service.record_review(database, preview.dossier_id, r.decision.value, r.reviewer, r.comment, now=r.decided_at)
    if preview.status_after == DossierStatus.BROUILLON and preview.changed_here:
        service.set_status(database, preview.dossier_id, DossierStatus.BROUILLON.value)
    final = service.get_dossier(database, preview.dossier_id).dossier
    return MergeOutcome(preview.dossier_id, final.title, final.status, len(preview.new_rounds))


def record_sending(database: Database, dossier_id: int, sender: str = "") -> ReviewDecision:
    """The buyer sends the dossier for review: a round in its history, status "à relire"."""
    return service.record_review(database, dossier_id, Decision.ENVOYE.value, sender, "")


def import_or_merge(database: Database, path: Path,
                    confirm: Callable[[ReturnPreview], bool] | None = None) -> ImportOutcome | MergeOutcome | None:
    """Import an exchange file: merged into the local dossier when it continues its review
    (after ``confirm`` agrees; None when it does not), else stored as a new dossier."""
    preview = preview_return(database, path)
    if preview is None:
        return import_dossier(database, path)
    if confirm is not None and not confirm(preview):
        return None
    return apply_return(database, preview)
