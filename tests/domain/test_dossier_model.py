"""The dossier's JSON form keeps every field, checklist answer and review decision."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import (
    Buyer,
    BuyerKind,
    ClauseSelection,
    Dossier,
    DossierStatus,
    Lot,
    Nature,
)
from achatsdesk.domain.review import Decision, ReviewDecision, make_decision
from achatsdesk.errors import ValidationError
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def full_dossier() -> Dossier:
    return Dossier(
        title="Entretien des espaces verts (fictif)", reference="2026-EV-01",
        buyer=Buyer("Commune fictive", BuyerKind.ETABLISSEMENT_PUBLIC, 12_000_000), nature=Nature.SERVICES,
        cpv=["77300000-3", "77310000-6"], estimated_amount_eur=480_000, duration_months=36, place_insee="95127",
        launch_date=date(2026, 9, 1), lots=[Lot("Parcs", "77300000-3", 300_000), Lot("Cimetières", None, 180_000)],
        status=DossierStatus.A_RELIRE, clauses=[ClauseSelection("insertion-heures", "1", {"heures": 800}, 0)],
        uid="11111111-2222-3333-4444-555555555555",
        items={"social-condition": ItemState(ItemStatus.SANS_OBJET, "Motif écrit ici", "no-link", "Vu")},
        reviews=[ReviewDecision(Decision.A_REPRENDRE, "Chef de service", datetime(2026, 8, 1, 9, 30), "Critères")],
        shortlist_id=3,
    )


def test_round_trip_keeps_everything():
    dossier = full_dossier()
    assert Dossier.from_dict(json.loads(json.dumps(dossier.to_dict()))) == dossier


def test_example_loads_with_its_values():
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert dossier.amount_eur == 1_200_000 and dossier.buyer.kind == BuyerKind.COLLECTIVITE
    assert dossier.items == {} and dossier.reviews == []


@pytest.mark.parametrize("bad, message", [
    ({"title": "x", "checklist": {"a": {"status": "peut-être"}}}, "« checklist.a.status » : valeurs possibles a_faire"),
    ({"title": "x", "checklist": []}, "checklist"),
    ({"title": "x", "reviews": [{"decision": "ok"}]}, "« reviews\\[1\\].decision »"),
])
def test_bad_values_are_refused_in_french(bad, message):
    with pytest.raises(ValidationError, match=message):
        Dossier.from_dict(bad)


def test_review_decision_rules():
    with pytest.raises(ValidationError, match="nom"):
        make_decision("valide", " ", "")
    with pytest.raises(ValidationError, match="reprendre"):
        make_decision("a_reprendre", "Chef", "")
    decision = make_decision("valide", "Chef", "", now=datetime(2026, 9, 2, 10, 0, 0, 123))
    assert decision.decided_at == datetime(2026, 9, 2, 10, 0, 0)


def test_validating_with_open_points_needs_the_reason_written():
    from achatsdesk.domain.review import validation_refused

    points = ["« Condition environnementale » (obligatoire) est encore à faire."]
    assert "commentaire" in validation_refused(points, "  ")
    assert validation_refused(points, "Clause ajoutée dans le CCAP papier (fictif)") is None
    assert validation_refused([], "") is None  # nothing open: no reason asked
