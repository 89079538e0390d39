"""Dossiers taken away from the team server, edited offline and brought back.

``take_away`` copies dossiers from the server into the workstation's local
SQLite file (same uid) and marks them on the server as taken (``taken_by``,
``taken_at``: colleagues see it). The local store remembers, per dossier, the
server revision it started from and the dossier as it was then (the base).

``bring_back`` saves the local copy on the server when the server copy is still
at that revision; when a colleague saved meanwhile it returns the field
differences (domain/dossier_merge.py) and nothing is written: the buyer then
``resolve``s them field by field, or ``keep_both`` keeps the local version as a
new dossier beside the colleague's. Nothing is ever lost: the local copy is
deleted only after the server's transaction committed, and a failure on the
server leaves it as it was.

Opened without the server (``Database(path)``), the local file is an ordinary
SQLite database: the taken dossiers are edited there with the usual services.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from achatsdesk.domain.dossier import (
    REOPENED_BY_A_CHANGE,
    Dossier,
    DossierStatus,
    status_after_change,
)
from achatsdesk.domain.dossier_merge import (
    MINE,
    THEIRS,
    Choice,
    FieldDifference,
    field_differences,
    merge,
)
from achatsdesk.domain.formatting import format_date_field
from achatsdesk.domain.plural import count_of
from achatsdesk.domain.review import ReviewDecision
from achatsdesk.errors import NotFoundError, StaleDossierError, ValidationError
from achatsdesk.services.catalogue_shortlists import shortlist_snapshot
from achatsdesk.storage import dossiers_repo, offline_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.models.dossiers import DossierRow
from achatsdesk.storage.models.offline import OfflineTakeRow

OFFLINE_COPY_SUFFIX = " (copie hors connexion)"


@dataclass(frozen=True)
class TakenDossier:
    """A dossier taken away: its id in the local file and on the server, where it started from."""

    local_id: int
    server_id: int
    uid: str
    title: str
    base_revision: int
    taken_by: str
    taken_at: datetime
    server_label: str


@dataclass(frozen=True)
class BringBackOutcome:
    """What a bring-back did: saved on the server, or nothing yet because both sides changed."""

    local_id: int
    server_id: int
    title: str
    brought_back: bool  # saved on the server, taken mark cleared, local copy removed
    server_revision: int  # the server's revision after the save, or the one the differences were read at
    differences: tuple[FieldDifference, ...] = field(default=())

    @property
    def conflicting(self) -> tuple[FieldDifference, ...]:
        """The fields changed differently on both sides: the buyer must choose."""
        return tuple(d for d in self.differences if d.both_changed)


# --- the local store -----------------------------------------------------------------
@contextmanager
def local_store(database: Database) -> Iterator[Database]:
    """The local file alone (SQLite mode), where the taken dossiers live."""
    if not database.is_team:
        yield database
        return
    local = Database(database.path)
    try:
        yield local
    finally:
        local.dispose()


def _taken(take: OfflineTakeRow, title: str) -> TakenDossier:
    return TakenDossier(take.local_dossier_id, take.server_dossier_id, take.uid, title, take.base_revision,
                        take.taken_by, take.taken_at, take.server_label)


def taken_dossiers(database: Database) -> list[TakenDossier]:
    """The dossiers taken away on this workstation (in team mode or offline), oldest first."""
    with local_store(database) as local, local.unit_of_work() as session:
        taken = []
        for take in offline_repo.all_takes(session):
            row = session.get(DossierRow, take.local_dossier_id)
            taken.append(_taken(take, row.title if row is not None else "(copie locale introuvable)"))
        return taken


def taken_for_server_id(database: Database, server_id: int) -> TakenDossier | None:
    """The take of this server dossier from this server, if it was taken away on this workstation."""
    return next((t for t in taken_dossiers(database)
                 if t.server_id == server_id and t.server_label == database.label), None)


def is_taken_copy(database: Database, dossier_id: int | None) -> bool:
    """True when ``dossier_id`` is, in the local file open alone, the copy of a team dossier taken away:
    its shortlist is the team's (a server list, copied into the dossier when it was taken), not one of
    this file's lists that may carry the same number."""
    if database.is_team or dossier_id is None:
        return False
    with database.unit_of_work() as session:
        return offline_repo.by_local_id(session, dossier_id) is not None


def taken_mark(database: Database, dossier_id: int) -> str | None:
    """In French, who took this server dossier away and when (what colleagues see), or None."""
    if not database.is_team:
        return None
    with database.unit_of_work() as session:
        row = session.get(DossierRow, dossier_id)
        if row is None or not row.taken_by:
            return None
        when = f" le {format_date_field(row.taken_at.date())}" if row.taken_at else ""
        here = taken_for_server_id(database, dossier_id) is not None
        return (f"Emporté hors connexion sur ce poste{when} : « Rapporter » le renvoie sur le serveur." if here
                else f"Emporté hors connexion par {row.taken_by}{when} : ses modifications reviendront au retour.")


def offline_notice(count: int) -> str:
    """What the window says when the server cannot be reached at start."""
    if count == 0:
        return ("Serveur injoignable : vous travaillez hors connexion sur la base locale "
                "(aucun dossier emporté).")
    which = "le dossier emporté" if count == 1 else f"les {count_of(count, 'dossier')} emportés"
    return f"Serveur injoignable : vous travaillez hors connexion sur {which}."


# --- taking away -----------------------------------------------------------------------
def _require_team(database: Database, what: str) -> None:
    if not database.is_team:
        raise ValidationError(f"{what} n'est possible qu'avec le serveur de l'équipe.",
                              hint="Connectez achatsdesk au serveur (Paramètres › Base de données), puis réessayez.")


def _user(database: Database) -> str:
    assert database.server is not None
    return database.server.user


def take_away(database: Database, dossier_ids: list[int]) -> list[TakenDossier]:
    """Copy these server dossiers into the local file and mark them as taken; French errors, nothing half done."""
    _require_team(database, "Emporter un dossier hors connexion")
    return [_take_one(database, dossier_id) for dossier_id in dossier_ids]


def _take_one(database: Database, dossier_id: int) -> TakenDossier:
    with database.unit_of_work() as session:
        row = dossiers_repo.get_row(session, dossier_id)
        if row.taken_by:
            when = f" le {format_date_field(row.taken_at.date())}" if row.taken_at else ""
            raise ValidationError(f"Le dossier « {row.title} » est déjà emporté hors connexion par {row.taken_by}{when}.",
                                  hint="Attendez qu'il soit rapporté, ou demandez-lui de le rapporter.")
        stored = dossiers_repo.load(session, row)
    # The team's list goes with the copy as its snapshot: offline, its number names no list of the local file.
    snapshot = stored.shortlist_snapshot
    if stored.dossier.shortlist_id is not None:
        snapshot = shortlist_snapshot(database, stored.dossier.shortlist_id) or snapshot
    user, taken_at = _user(database), dossiers_repo.now()
    with local_store(database) as local:
        with local.unit_of_work() as session:
            existing = dossiers_repo.find_id_by_uid(session, stored.dossier.uid)
            if existing is not None:
                raise ValidationError(
                    f"Une copie du dossier « {stored.dossier.title} » existe déjà dans la base locale "
                    f"(dossier local n° {existing}).",
                    hint="Rapportez-la d'abord (« Rapporter »), ou supprimez-la de la base locale.")
            local_id = dossiers_repo.insert(session, copy.deepcopy(stored.dossier), snapshot)
            take = OfflineTakeRow(uid=stored.dossier.uid, local_dossier_id=local_id, server_dossier_id=dossier_id,
                                  server_label=database.label, base_revision=stored.revision,
                                  base_json=json.dumps(stored.dossier.to_dict(), ensure_ascii=False),
                                  taken_by=user, taken_at=taken_at)
            offline_repo.add(session, take)
        try:
            _mark_taken(database, dossier_id, stored.revision, user, taken_at)
        except BaseException:
            _forget_local_copy(local, local_id)  # the server did not take the mark: no copy without it
            raise
    return _taken(take, stored.dossier.title)


def _mark_taken(database: Database, dossier_id: int, revision: int, user: str, taken_at: datetime) -> None:
    """The mark, only on the revision copied (a colleague saving meanwhile: refused, nothing taken)."""
    with database.unit_of_work() as session:
        if not dossiers_repo.mark_taken(session, dossier_id, revision, user, taken_at):
            raise ValidationError("Ce dossier a été modifié ou emporté par un collègue pendant que vous l'emportiez : "
                                  "il n'a pas été emporté.", hint="Réessayez : la dernière version sera emportée.")


def _forget_local_copy(local: Database, local_id: int) -> None:
    with local.unit_of_work() as session:
        take = offline_repo.by_local_id(session, local_id)
        if take is not None:
            offline_repo.remove(session, take)
        if session.get(DossierRow, local_id) is not None:
            dossiers_repo.delete_dossier(session, local_id)


# --- bringing back -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Versions:
    take: TakenDossier
    base: Dossier
    mine: Dossier


def _versions(database: Database, local_id: int) -> _Versions:
    _require_team(database, "Rapporter un dossier")
    with local_store(database) as local:
        with local.unit_of_work() as session:
            take = offline_repo.by_local_id(session, local_id)
            if take is None:
                raise NotFoundError(f"Le dossier local n° {local_id} n'a pas été emporté hors connexion.",
                                    hint="La liste des dossiers emportés est dans « Rapporter ».")
            base = Dossier.from_dict(json.loads(take.base_json))
            mine = dossiers_repo.load(session, dossiers_repo.get_row(session, local_id)).dossier
            taken = _taken(take, mine.title)
    if taken.server_label != database.label:
        raise ValidationError(f"Le dossier « {taken.title} » a été emporté depuis « {taken.server_label} », "
                              f"pas depuis « {database.label} ».",
                              hint="Connectez achatsdesk à ce serveur-là pour le rapporter.")
    return _Versions(taken, base, mine)


def _new_rounds(base: Dossier, mine: Dossier) -> list[ReviewDecision]:
    """Review rounds recorded offline (the server's history is never rewritten, they are added)."""
    if mine.reviews[:len(base.reviews)] != base.reviews:
        return []
    return list(mine.reviews[len(base.reviews):])


def _item_title(item_id: str) -> str:
    from achatsdesk.services.dossier_rules import rule_resources

    return next((i.title for i in rule_resources().checklist.items if i.id == item_id), item_id)


def bring_back(database: Database, local_id: int) -> BringBackOutcome:
    """Save the local copy on the server if nobody changed it there meanwhile; else the differences."""
    versions = _versions(database, local_id)
    take = versions.take
    theirs = _server_copy(database, take)
    if theirs.revision == take.base_revision:
        revision = _save_on_server(database, take, versions.mine, take.base_revision,
                                   _new_rounds(versions.base, versions.mine))
        _remove_local(database, local_id)
        return BringBackOutcome(local_id, take.server_id, versions.mine.title, True, revision)
    differences = field_differences(versions.base, versions.mine, theirs.dossier, _item_title)
    return BringBackOutcome(local_id, take.server_id, versions.mine.title, False, theirs.revision,
                            tuple(differences))


def _server_copy(database: Database, take: TakenDossier) -> dossiers_repo.StoredDossier:
    with database.unit_of_work() as session:
        row = session.get(DossierRow, take.server_id)
        if row is None or row.uid != take.uid:
            raise NotFoundError(f"Le dossier « {take.title} » n'existe plus sur le serveur (supprimé par un collègue).",
                                hint="« Garder les deux » l'enregistre sur le serveur comme un nouveau dossier ; "
                                     "rien n'est perdu.")
        return dossiers_repo.load(session, row)


def resolve(database: Database, local_id: int, choices: dict[str, Choice],
            seen_revision: int | None = None) -> BringBackOutcome:
    """Save on the server the server's version with the fields the buyer chose from theirs.

    ``choices`` maps a difference's key to "mine" or "theirs" (a field not named takes its default:
    the side that changed it, mine when both did). ``seen_revision`` is the server revision the
    differences were shown at: if a colleague saved again since, StaleDossierError (nothing written).
    """
    versions = _versions(database, local_id)
    take = versions.take
    theirs = _server_copy(database, take)
    if seen_revision is not None and theirs.revision != seen_revision:
        raise StaleDossierError(take.server_id, seen_revision, theirs.revision)
    merged = merge(versions.base, versions.mine, theirs.dossier, choices)
    revision = _save_on_server(database, take, merged, theirs.revision, _new_rounds(versions.base, versions.mine))
    _remove_local(database, local_id)
    return BringBackOutcome(local_id, take.server_id, merged.title, True, revision)


def keep_side(database: Database, local_id: int, side: Choice) -> BringBackOutcome:
    """Bring back choosing one side ("mine" or "theirs") for every field changed on both sides; a field
    changed on one side only keeps that change (nobody's work is undone without being asked)."""
    outcome = bring_back(database, local_id)
    if outcome.brought_back:
        return outcome
    choices = {d.key: side for d in outcome.conflicting}
    return resolve(database, local_id, choices, outcome.server_revision)


def keep_both(database: Database, local_id: int) -> int:
    """Save my version on the server as a new dossier "… (copie hors connexion)", the colleague's
    version left as it is (its taken mark cleared); returns the new dossier's server id."""
    versions = _versions(database, local_id)
    take = versions.take
    mine = copy.deepcopy(versions.mine)
    mine.uid = ""
    mine.title = f"{versions.mine.title}{OFFLINE_COPY_SUFFIX}"
    mine.status = DossierStatus.BROUILLON
    mine.reviews = []  # the decisions covered the original
    with database.unit_of_work() as session:
        new_id = dossiers_repo.insert(session, mine)
        original = session.get(DossierRow, take.server_id)
        if original is not None and original.uid == take.uid:
            original.taken_by = None
            original.taken_at = None
    _remove_local(database, local_id)
    return new_id


def _save_on_server(database: Database, take: TakenDossier, dossier: Dossier, revision: int,
                    new_rounds: list[ReviewDecision]) -> int:
    """One server transaction: the content at ``revision`` (else StaleDossierError), the rounds recorded
    offline, the taken mark cleared. Returns the new revision."""
    with database.unit_of_work() as session:
        row = dossiers_repo.get_row(session, take.server_id)
        if row.revision != revision:
            raise StaleDossierError(row.id, revision, row.revision)
        stored = dossiers_repo.load(session, row).dossier
        # As services.dossiers.save_dossier: a change of content reopens a validated dossier.
        if dossier.status.value == row.status and DossierStatus(row.status) in REOPENED_BY_A_CHANGE:
            dossier.status = status_after_change(dossier.status, stored, dossier)
        new_revision = dossiers_repo.replace_content(session, row.id, dossier, revision, stored)
        for review in new_rounds:
            dossiers_repo.add_review(session, row, review)
        row.taken_by = None
        row.taken_at = None
        return new_revision


def _remove_local(database: Database, local_id: int) -> None:
    """After the server committed: the local copy and its record go."""
    with local_store(database) as local:
        _forget_local_copy(local, local_id)


def server_unreachable(exc: BaseException) -> bool:
    """True when opening failed because the team server could not be reached (a psycopg OperationalError
    underneath the French StorageError): the local store can then open alone.

    A server that answered and refused (unknown database or role, wrong password: libpq's message
    carries the server's "FATAL", a word PostgreSQL does not translate) is a setting to fix: not offline.
    """
    import psycopg

    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        original = getattr(seen, "orig", seen)
        if isinstance(original, psycopg.OperationalError):
            return "FATAL" not in str(original)
        visited.add(id(seen))
        seen = seen.__cause__ or seen.__context__
    return False


__all__ = ["MINE", "THEIRS", "BringBackOutcome", "TakenDossier", "bring_back", "keep_both", "keep_side",
           "local_store", "offline_notice", "resolve", "server_unreachable", "take_away", "taken_dossiers",
           "is_taken_copy", "taken_for_server_id", "taken_mark"]
