"""Where a dossier stands in its review: drafted, sent for review, validated, sent back.

Its own small module so that the dossiers list (read at start-up, before the
first paint) does not load the whole dossier model.
"""

from __future__ import annotations

from enum import StrEnum


class DossierStatus(StrEnum):
    BROUILLON = "brouillon"
    A_RELIRE = "a_relire"
    VALIDE = "valide"
    A_REPRENDRE = "a_reprendre"


STATUS_LABELS = {
    DossierStatus.BROUILLON: "Brouillon",
    DossierStatus.A_RELIRE: "À relire",
    DossierStatus.VALIDE: "Validé",
    DossierStatus.A_REPRENDRE: "À reprendre",
}
