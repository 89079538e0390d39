"""The dossiers list as the window shows it, read from the start-up reader.

At a quick start (the database needs no change) the window lists the dossiers
before SQLAlchemy is even imported, through a read-only sqlite3 connection
(``bootstrap.open_quick_reader``); this module keeps that path light: it
imports no SQLAlchemy. Once the database is open the list comes from
``services.dossiers.list_dossiers``, which runs the same query.
"""

from __future__ import annotations

import sqlite3

from achatsdesk.storage.dossier_summaries import DossierSummary, read_summaries

__all__ = ["DossierSummary", "read_quick_list"]


def read_quick_list(reader: sqlite3.Connection, status: str | None = None, text: str = "") -> list[DossierSummary]:
    """The dossiers, most recently changed first, filtered by status and words, from the start-up reader."""
    return read_summaries(reader, status, text)
