"""The homogeneous-needs warning over the stored dossiers (domain/split_needs.py).

In two parts, so that the editor reads the stored dossiers only when they or the
buyer and year change, not at every digit of the amount: ``stored_candidates`` (the
other dossiers of the same buyer and launch year, read in full) and
``homogeneous_needs_among`` (the warning for the dossier as it is now, in memory).
``stored_dossiers_stamp`` changes whenever another dossier is added, saved, put in the
Corbeille or deleted.
"""

from __future__ import annotations

from sqlalchemy import text

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.split_needs import StoredNeed, split_need_warning
from achatsdesk.domain.text import fold
from achatsdesk.services.dossier_rules import rule_resources
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage import dossier_summaries
from achatsdesk.storage.database import Database


def homogeneous_needs(database: Database, dossier: Dossier, exclude_id: int | None = None) -> list[str]:
    """[] or one French warning naming the stored dossiers that may split the same need."""
    return homogeneous_needs_among(dossier, stored_candidates(database, dossier, exclude_id))


def stored_candidates(database: Database, dossier: Dossier, exclude_id: int | None = None) -> list[StoredNeed]:
    """The stored dossiers (but ``exclude_id``) of the dossier's buyer and launch year, read in full."""
    name = fold(dossier.buyer.name).strip()
    if not name or dossier.launch_date is None:
        return []
    year = dossier.launch_date.year
    # The summaries narrow the candidates (buyer, year) before any dossier is read in full.
    candidates = [s.id for s in list_dossiers(database)
                  if s.id != exclude_id and fold(s.buyer_name).strip() == name
                  and s.launch_date is not None and s.launch_date.year == year]
    return [StoredNeed(i, get_dossier(database, i).dossier) for i in candidates]


def homogeneous_needs_among(dossier: Dossier, stored: list[StoredNeed]) -> list[str]:
    warning = split_need_warning(dossier, stored, rule_resources().thresholds) if stored else None
    return [warning] if warning else []


def stored_dossiers_stamp(database: Database, exclude_id: int | None = None) -> tuple:
    """A value that changes when a dossier other than ``exclude_id`` is added, saved, moved or deleted."""
    with database.shared_engine.connect() as conn:
        return tuple(conn.execute(text(dossier_summaries.OTHERS_STAMP_QUERY),
                                  {"me": -1 if exclude_id is None else exclude_id}).one())
