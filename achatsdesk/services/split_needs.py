"""The homogeneous-needs warning over the stored dossiers (domain/split_needs.py)."""

from __future__ import annotations

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.split_needs import StoredNeed, split_need_warning
from achatsdesk.domain.text import fold
from achatsdesk.services.dossier_rules import rule_resources
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage.database import Database


def homogeneous_needs(database: Database, dossier: Dossier, exclude_id: int | None = None) -> list[str]:
    """[] or one French warning naming the stored dossiers that may split the same need."""
    name = fold(dossier.buyer.name).strip()
    if not name or dossier.launch_date is None:
        return []
    year = dossier.launch_date.year
    # The summaries narrow the candidates (buyer, year) before any dossier is read in full.
    candidates = [s.id for s in list_dossiers(database)
                  if s.id != exclude_id and fold(s.buyer_name).strip() == name
                  and s.launch_date is not None and s.launch_date.year == year]
    stored = [StoredNeed(i, get_dossier(database, i).dossier) for i in candidates]
    warning = split_need_warning(dossier, stored, rule_resources().thresholds)
    return [warning] if warning else []
