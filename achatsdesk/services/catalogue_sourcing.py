"""The sourcing box tells the truth: beside the structures of the dossier's sector, how many
structures of the same kinds near the place have no known sector (an insertion company
3,8 km away whose activity code maps to no sector is still worth a call)."""

from __future__ import annotations

from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import ValidationError
from achatsdesk.services.catalogue import search_suppliers
from achatsdesk.storage.database import Database

SCAN_LIMIT = 10_000  # the search's own cap (input_limits); a radius around a place holds far fewer


def unknown_sector_count(database: Database, dossier: Dossier, *, kinds, radius_km: float) -> int | None:
    """Structures of ``kinds`` within ``radius_km`` of the dossier's place without any sector; None without a place."""
    if not dossier.place_insee:
        return None
    try:
        result = search_suppliers(database, kinds=kinds, near=dossier.place_insee, radius_km=radius_km,
                                  limit=SCAN_LIMIT)
    except ValidationError:
        return None
    return sum(1 for hit in result.hits if not hit.sectors)
