"""Indicators of the stored dossiers, by launch year (see domain/indicators.py).

The dossiers are read in four set-based queries (storage/indicator_queries.py), not one
ORM load per dossier. A clause whose insertion hours follow the sizing stores no figure
of its own: its dossier is then resolved from what was read (amount, lots, CPV codes,
sizing factors), so that the indicators count the hours the annex and the review print
(services/dossier_figures.py), never the template's default.
"""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.collection_pause import collection_paused
from achatsdesk.domain.clauses import ClauseTemplate
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
from achatsdesk.services.dossiers import list_dossiers
from achatsdesk.services.rule_settings import labour_table
from achatsdesk.storage import dossiers_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.indicator_queries import DossierFigures, read_dossier_figures


def _states_its_hours(figures: DossierFigures, hours_of: dict[str, list[str]]) -> bool:
    """True when every chosen clause that carries insertion hours states them in its values."""
    return all(all(name in c.variables for name in hours_of[c.clause_id])
               for c in figures.clauses if hours_of.get(c.clause_id))


def dossier_indicators(database: Database,
                       progress: Callable[[int, int, str], None] | None = None) -> list[YearIndicators]:
    with collection_paused():  # tens of thousands of objects without cycles (collection_pause.py)
        return _dossier_indicators(database, progress)


def _dossier_indicators(database: Database, progress: Callable[[int, int, str], None] | None) -> list[YearIndicators]:
    library: dict[str, ClauseTemplate] = {clause.id: clause for clause in load_library(database).all()}
    hours_of = {clause_id: names for clause_id, t in library.items() if (names := hour_variables(t)[0])}
    with database.shared_engine.connect() as conn:
        figures = read_dossier_figures(conn, set(hours_of))
    counted: list[Counted] = []
    table = None  # the labour-share table, read once if a dossier needs its sizing
    for done, dossier in enumerate(figures, start=1):
        if _states_its_hours(dossier, hours_of):
            counted.append(dossier)
        else:  # hours that follow the sizing: the dossier's own computation says how many
            table = table or labour_table()
            counted.append(resolved_dossier(dossier.dossier, library, table))
        if progress is not None and (done % 200 == 0 or done == len(figures)):
            progress(done, len(figures), "Lecture des dossiers…")
    return indicators_by_year(counted, library)


def dossier_lines(database: Database) -> list[DossierIndicators]:
    """The per-dossier lines behind the yearly figures (the workbook's "Par dossier" sheet)."""
    library = {clause.id: clause for clause in load_library(database).all()}
    table = labour_table()
    ids = [summary.id for summary in list_dossiers(database)]
    # Read whole in one session and one query per table (not one get_dossier each, which also keeps a
    # copy of every dossier in the editor's memory of stored versions, services/dossier_versions.py).
    with database.unit_of_work() as session:
        stored = dossiers_repo.load_many(session, ids)
    dossiers = (resolved_dossier(stored[i].dossier, library, table) for i in ids if i in stored)
    return indicators_by_dossier(dossiers, library)
