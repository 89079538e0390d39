"""A new dossier from an earlier one: a renewal, or a purchase like one already prepared."""

from __future__ import annotations

import copy

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.dossier_status import DossierStatus


def copy_for_new_consultation(dossier: Dossier) -> Dossier:
    """Same need, buyer, lots, place, clauses and sizing factors; a new identity, back to draft.

    Not copied: the checklist answers and the review history (they were given for
    the earlier consultation), and the launch date: the law that applies depends on
    it, so the buyer must give the new one.
    """
    new = copy.deepcopy(dossier)
    new.uid = ""
    new.title = f"Copie de {dossier.title}" if dossier.title else "Copie d'un dossier"
    new.status = DossierStatus.BROUILLON
    new.launch_date = None
    new.items = {}
    new.reviews = []
    return new
