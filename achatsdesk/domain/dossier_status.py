"""Where a dossier stands in its review: drafted, sent for review, validated, sent back;
then, after the award, under execution and closed.

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
    # After the award (see domain/award.py): awarded, under execution, closed.
    ATTRIBUE = "attribue"
    EN_EXECUTION = "en_execution"
    CLOS = "clos"


STATUS_LABELS = {
    DossierStatus.BROUILLON: "Brouillon",
    DossierStatus.A_RELIRE: "À relire",
    DossierStatus.VALIDE: "Validé",
    DossierStatus.A_REPRENDRE: "À reprendre",
    DossierStatus.ATTRIBUE: "Attribué",
    DossierStatus.EN_EXECUTION: "En exécution",
    DossierStatus.CLOS: "Clos",
}
