"""Indicators of the stored dossiers, by launch year (see domain/indicators.py)."""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.domain.indicators import (
    DossierIndicators,
    YearIndicators,
    indicators_by_dossier,
    indicators_by_year,
)
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_figures import resolved_dossier
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage.database import Database


def dossier_indicators(database: Database,
                       progress: Callable[[int, int, str], None] | None = None) -> list[YearIndicators]:
    library = {clause.id: clause for clause in load_library(database).all()}
    summaries = list_dossiers(database)
    dossiers = []
    for done, summary in enumerate(summaries, start=1):
        # The hours each clause states (the buyer's figure, else the sizing's): as the documents say.
        dossiers.append(resolved_dossier(get_dossier(database, summary.id).dossier, library))
        if progress is not None:
            progress(done, len(summaries), "Lecture des dossiers…")
    return indicators_by_year(dossiers, library)


def dossier_lines(database: Database) -> list[DossierIndicators]:
    """The per-dossier lines behind the yearly figures (the workbook's "Par dossier" sheet)."""
    library = {clause.id: clause for clause in load_library(database).all()}
    return indicators_by_dossier((get_dossier(database, s.id).dossier for s in list_dossiers(database)), library)
