"""Indicators of the stored dossiers, by launch year (see domain/indicators.py)."""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.domain.indicators import YearIndicators, counted_variables, indicators_by_year
from achatsdesk.services.clause_library import load_library
from achatsdesk.storage.database import Database
from achatsdesk.storage.indicator_queries import read_dossier_figures


def dossier_indicators(database: Database,
                       progress: Callable[[int, int, str], None] | None = None) -> list[YearIndicators]:
    """Two queries (dossiers, chosen clauses), whatever the number of dossiers."""
    library = {clause.id: clause for clause in load_library(database).all()}
    with database.engine.connect() as conn:
        figures = read_dossier_figures(conn.connection.dbapi_connection, counted_variables(library))
    if progress is not None:
        progress(len(figures), len(figures), "Lecture des dossiers…")
    return indicators_by_year(figures, library)
