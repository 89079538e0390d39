"""The dossiers list as the window shows it, read from the start-up reader.

At a quick start (the database needs no change) the window lists the dossiers
before SQLAlchemy is even imported, through a read-only sqlite3 connection
(``bootstrap.open_quick_reader``); this module keeps that path light: it
imports no SQLAlchemy. Once the database is open the list comes from
``services.dossiers.list_dossiers``, which runs the same query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from achatsdesk.storage.dossier_summaries import (
    DossierSummary,
    LazySummaries,
    data_version,
    read_summaries,
)

__all__ = ["DossierSummary", "LazySummaries", "quick_list_version", "read_quick_list"]


def read_quick_list(reader: sqlite3.Connection, status: str | None = None, text: str = "") -> Sequence[DossierSummary]:
    """The dossiers, most recently changed first, filtered by status and words, from the start-up reader.

    Unfiltered, each line is made when first shown (storage.dossier_summaries.LazySummaries).
    """
    return read_summaries(reader, status, text, lazy=True)


def quick_list_version(reader: sqlite3.Connection) -> int:
    """Another value once something else has written to the database: the list read before may be stale."""
    return data_version(reader)
