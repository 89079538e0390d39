"""The example dossier, in two lots with insertion clauses, validated: ready to be awarded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.services.dossiers import create_dossier, record_review

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "nettoyage-colleges.json"
# A real SIAE of the embedded catalogue (ASP list of 2019-2020, an ACI).
SIAE_SIRET, SIAE_NAME = "77554402601177", "ALFA 3A"
# A made-up company for the other lot: a SIRET with a valid key, not in the catalogue.
OTHER_SIRET = "73282932000074"


def example_dossier() -> Dossier:
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.reference = "2026-NET-01"
    dossier.lots = [Lot("Collèges de l'est", "90911200-8", 700000), Lot("Collèges de l'ouest", "90911200-8", 500000)]
    dossier.clauses = [
        ClauseSelection("insertion-heures", "1.0", {"heures": 400, "duree_mois": 12}, lot=0),
        ClauseSelection("insertion-heures", "1.0", {"heures": 300, "duree_mois": 12}, lot=1),
        ClauseSelection("insertion-penalites", "1.0", {"montant_heure": 30, "plafond": 5}, lot=None),
    ]
    return dossier


@pytest.fixture
def validated(database) -> int:
    dossier_id = create_dossier(database, example_dossier())
    record_review(database, dossier_id, "valide", "Cheffe du service achats")
    return dossier_id
