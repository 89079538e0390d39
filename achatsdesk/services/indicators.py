"""Indicators of the stored dossiers, by launch year (see domain/indicators.py).

The dossiers are read in two set-based queries (storage/indicator_queries.py), not one
ORM load per dossier. A clause whose insertion hours follow the sizing stores no figure
of its own: its dossier is then read whole and resolved, so that the indicators count
the hours the annex and the review print (services/dossier_figures.py), never the
template's default.
"""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.indicators import (
    Counted,
    DossierIndicators,
    YearIndicators,
    hour_variables,
    indicators_by_dossier,
    indicators_by_year,
)
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_figures import resolved_dossier
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage import dossiers_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.indicator_queries import DossierFigures, read_dossier_figures


def _states_its_hours(figures: DossierFigures, hours_of: dict[str, list[str]]) -> bool:
    """True when every chosen clause that carries insertion hours states them in its values."""
    return all(all(name in c.variables for name in hours_of[c.clause_id])
               for c in figures.clauses if hours_of.get(c.clause_id))


def _read_whole(database: Database, dossier_ids: list[int]) -> dict[int, Dossier]:
    """The dossiers read whole, in one session and one query per table (a few hundred at 2 000 dossiers:
    one load each took twice as long on the team server, bench/team.py)."""
    with database.unit_of_work() as session:
        return {i: stored.dossier for i, stored in dossiers_repo.load_many(session, dossier_ids).items()}


def dossier_indicators(database: Database,
                       progress: Callable[[int, int, str], None] | None = None) -> list[YearIndicators]:
    library: dict[str, ClauseTemplate] = {clause.id: clause for clause in load_library(database).all()}
    hours_of = {clause_id: names for clause_id, t in library.items() if (names := hour_variables(t)[0])}
    with database.shared_engine.connect() as conn:
        figures = read_dossier_figures(conn, set(hours_of))
    counted: list[Counted] = []
    whole = _read_whole(database, [d.id for d in figures if not _states_its_hours(d, hours_of)])
    for done, dossier in enumerate(figures, start=1):
        if _states_its_hours(dossier, hours_of):
            counted.append(dossier)
        elif dossier.id in whole:  # hours that follow the sizing: the dossier's own computation says how many
            counted.append(resolved_dossier(whole[dossier.id], library))
        if progress is not None and (done % 200 == 0 or done == len(figures)):
            progress(done, len(figures), "Lecture des dossiers…")
    return indicators_by_year(counted, library)


def dossier_lines(database: Database) -> list[DossierIndicators]:
    """The per-dossier lines behind the yearly figures (the workbook's "Par dossier" sheet)."""
    library = {clause.id: clause for clause in load_library(database).all()}
    dossiers = (resolved_dossier(get_dossier(database, s.id).dossier, library) for s in list_dossiers(database))
    return indicators_by_dossier(dossiers, library)
