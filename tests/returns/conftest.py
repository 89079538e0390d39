"""The returns tests reuse the awarded example dossier; the real DECP sample is read
from ../shared/data beside the clone (1,6 Mo, not copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from achatsdesk.services import execution
from tests.execution.conftest import (  # noqa: F401 - fixture reused
    OTHER_SIRET,
    SIAE_SIRET,
    validated,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE_NAME = "decp_2024S2_travaux_cpv4521_sans_noms_titulaires.csv"
BUYER_SIRET = "22950000400010"  # made-up buyer SIRET with a valid key (fictitious)


def shared_sample() -> Path:
    """The real DECP sample: ../shared/data/decp/ beside the clone (or a parent folder's)."""
    for folder in (REPO, *REPO.parents):
        candidate = folder / "shared" / "data" / "decp" / SAMPLE_NAME
        if candidate.is_file():
            return candidate
    pytest.fail(f"Échantillon DECP introuvable : placez le dossier « shared » de l'équipe à côté du dépôt "
                f"(attendu : {REPO.parent / 'shared' / 'data' / 'decp' / SAMPLE_NAME}).")


@pytest.fixture
def awarded(database, validated) -> int:  # noqa: F811 - the fixture imported above
    execution.award_lot(database, validated, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000,
                        duration_months=12, offers_received=3, procedure="ao-ouvert")
    execution.award_lot(database, validated, lot=2, siret=OTHER_SIRET, name="Propreté Exemple (fictive)",
                        notified_on="2027-02-01", amount=490000, duration_months=12, offers_received=5,
                        procedure="ao-ouvert")
    return validated
