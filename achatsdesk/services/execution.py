"""Use cases after the award: award a lot (and undo it), record realised figures,
read a dossier's follow-up and the overview of every contract under execution.

Each call is one unit of work: an award and the dossier's new status are
written together; a refused value changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from achatsdesk.domain.award import Award, make_award
from achatsdesk.domain.dossier import Dossier, DossierStatus
from achatsdesk.domain.execution import (
    Commitment,
    ExecutionRules,
    FollowUp,
    RealisedFigure,
    check_period,
    check_value,
    commitments_of,
    follow_up,
    rules_from_dict,
)
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage import execution_repository as repo
from achatsdesk.storage.database import Database

AWARDABLE = (DossierStatus.VALIDE, DossierStatus.ATTRIBUE, DossierStatus.EN_EXECUTION)
UNDER_EXECUTION = (DossierStatus.ATTRIBUE, DossierStatus.EN_EXECUTION)
MANUAL_SOURCE = "saisie"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@lru_cache(maxsize=1)
def execution_rules() -> ExecutionRules:
    path = resources_dir() / "rules" / "measurable_commitments.json"
    return rules_from_dict(json.loads(path.read_text(encoding="utf-8")))


def library_map(database: Database) -> dict[str, Any]:
    return {clause.id: clause for clause in load_library(database).all()}


# --- award ------------------------------------------------------------------------
def award_lot(database: Database, dossier_id: int, *, lot: Any, siret: Any, notified_on: Any, amount: Any,
              name: str = "", duration_months: Any = None, offers_received: Any = None,
              procedure: str = "adaptee", now: datetime | None = None) -> Award:
    """Record who won a lot of a validated dossier; the dossier becomes "attribué".

    The holder's kind (and its name, when none is typed) comes from the catalogue when
    the SIRET is there. Awarding a lot again replaces its award.
    """
    dossier = get_dossier(database, dossier_id).dossier
    if dossier.status not in AWARDABLE:
        raise ValidationError(
            f"Le dossier « {dossier.title} » n'est pas validé : seul un dossier validé peut être attribué.",
            hint="Faites valider le dossier à l'étape Relecture, puis enregistrez l'attribution.",
        )
    duration = duration_months if duration_months not in (None, "") else dossier.duration_months
    award = make_award(lot=lot, siret=siret, name=name, notified_on=notified_on, amount=amount,
                       duration_months=duration, offers_received=offers_received, procedure=procedure,
                       lot_count=len(dossier.lots))
    stamp = now or _now()
    with database.unit_of_work() as session:
        found = repo.supplier_kind(session, award.holder_siret)
        if found is not None:
            kind, catalogue_name = found
            award = Award(**{**award.__dict__, "holder_kind": kind,
                             "holder_name": award.holder_name or catalogue_name})
        before = repo.status_before_awards(session, dossier_id) or dossier.status.value
        repo.put_award(session, dossier_id, award, before, stamp)
        if dossier.status == DossierStatus.VALIDE:
            repo.set_dossier_status(session, dossier_id, DossierStatus.ATTRIBUE.value, stamp)
    return award


def undo_award(database: Database, dossier_id: int, lot: int) -> bool:
    """Take back a lot's award (a mistaken entry). The last award undone gives the dossier
    back its status before the award. Refused once figures were recorded for the lot."""
    with database.unit_of_work() as session:
        if any(f.lot in (lot, 0) for f in repo.figures(session, dossier_id)):
            raise ValidationError(
                f"Le lot n° {lot} a déjà des relevés d'exécution : son attribution ne peut plus être annulée.",
                hint="Corrigez l'attribution en l'enregistrant de nouveau (elle remplace la précédente).",
            )
        before = repo.remove_award(session, dossier_id, lot)
        if before is None:
            return False
        if not repo.awards(session, dossier_id):
            repo.set_dossier_status(session, dossier_id, before, _now())
    return True


def awards_of(database: Database, dossier_id: int) -> list[Award]:
    with database.unit_of_work() as session:
        return repo.awards(session, dossier_id)


# --- realised figures -------------------------------------------------------------------
def find_commitment(dossier: Dossier, library: dict, clause_id: str, lot: int | None) -> Commitment:
    """The measurable commitment a figure is recorded against; lot 0 = whole contract."""
    commitments = [c for c in commitments_of(dossier, library, execution_rules()) if c.clause_id == clause_id]
    if not commitments:
        followed = sorted({c.clause_id for c in commitments_of(dossier, library, execution_rules())})
        raise ValidationError(
            f"La clause « {clause_id} » n'a pas d'engagement mesurable dans ce dossier.",
            hint=("Clauses suivies : " + ", ".join(followed) + ".") if followed else
            "Ce dossier n'a aucune clause d'engagement mesurable (heures d'insertion, apprentis, parts de réemploi…).",
        )
    if lot is not None:
        wanted = [c for c in commitments if c.lot == lot or (c.lot == 0 and len(dossier.lots) <= 1)]
        if not wanted:
            raise ValidationError(f"La clause « {clause_id} » n'est pas choisie pour le lot n° {lot}.")
        return wanted[0]
    if len({c.lot for c in commitments}) > 1:
        raise ValidationError(f"La clause « {clause_id} » est choisie pour plusieurs lots : précisez le lot.")
    return commitments[0]


def stored_lot(dossier: Dossier, commitment: Commitment) -> int:
    """A whole-contract clause of a dossier without lots is followed on its single lot, number 1."""
    return 1 if commitment.lot == 0 and len(dossier.lots) <= 1 else commitment.lot


def record_realised(database: Database, dossier_id: int, *, clause_id: str, period: Any, value: Any,
                    lot: int | None = None, reported_by: str = "", beneficiaries: dict[str, int] | None = None,
                    now: datetime | None = None) -> RealisedFigure:
    """Record (or correct) a clause's realised figure for a quarter; the dossier is then "en exécution"."""
    stored = get_dossier(database, dossier_id)
    if stored.dossier.status not in UNDER_EXECUTION:
        raise ValidationError("Ce dossier n'est pas attribué : enregistrez d'abord l'attribution de ses lots.")
    commitment = find_commitment(stored.dossier, library_map(database), clause_id, lot)
    figure = RealisedFigure(clause_id, stored_lot(stored.dossier, commitment), check_period(period),
                            check_value(value), reported_by.strip() or "acheteur", now or _now(), MANUAL_SOURCE,
                            dict(beneficiaries or {}))
    with database.unit_of_work() as session:
        repo.put_figure(session, dossier_id, figure)
        repo.set_dossier_status(session, dossier_id, DossierStatus.EN_EXECUTION.value, figure.reported_at)
    return figure


def close_execution(database: Database, dossier_id: int) -> None:
    stored = get_dossier(database, dossier_id)
    if stored.dossier.status not in UNDER_EXECUTION:
        raise ValidationError("Seul un marché attribué ou en exécution peut être clos.")
    with database.unit_of_work() as session:
        repo.set_dossier_status(session, dossier_id, DossierStatus.CLOS.value, _now())


# --- reading -----------------------------------------------------------------------------
def dossier_follow_up(database: Database, dossier_id: int, today: date | None = None) -> FollowUp:
    dossier = get_dossier(database, dossier_id).dossier
    with database.unit_of_work() as session:
        awards = repo.awards(session, dossier_id)
        figures = repo.figures(session, dossier_id)
    return follow_up(dossier, awards, figures, library_map(database), execution_rules(), today or date.today())


@dataclass(frozen=True)
class ContractInExecution:
    dossier_id: int
    title: str
    status: DossierStatus
    follow_up: FollowUp


def contracts_in_execution(database: Database, today: date | None = None) -> list[ContractInExecution]:
    """Every awarded dossier still running, with its progress and late reports (the Suivi view)."""
    library = library_map(database)
    summaries = [s for s in list_dossiers(database) if s.status in UNDER_EXECUTION]
    with database.unit_of_work() as session:
        awards = repo.all_awards(session)
        figures = repo.all_figures(session)
    out = []
    for summary in summaries:
        dossier = get_dossier(database, summary.id).dossier
        out.append(ContractInExecution(summary.id, dossier.title, dossier.status, follow_up(
            dossier, awards.get(summary.id, []), figures.get(summary.id, []), library, execution_rules(),
            today or date.today())))
    return out

