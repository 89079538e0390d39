"""The insertion-sizing factors saved with a dossier: JSON form, validation, per-lot pre-fill."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import Dossier, InsertionFactors, Lot, Nature
from achatsdesk.domain.insertion import LotInput, labour_table_from_dict, size_lots
from achatsdesk.domain.suggestions import (
    lot_contexts,
    prefill_context,
    sized_per_lot,
    suggest_clauses,
)
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.dossier_rules import analyse
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def example_data() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_a_dossier_without_the_key_has_no_saved_factors_and_writes_null() -> None:
    dossier = Dossier.from_dict(example_data())
    assert dossier.insertion is None
    assert dossier.to_dict()["insertion"] is None
    assert Dossier.from_dict(dossier.to_dict()) == dossier


def test_factors_round_trip_exactly_through_json_text() -> None:
    data = example_data() | {
        "insertion": {"labour_share": 0.45, "rate": 0.07, "hourly_cost": 32.5, "taken_over_share": 0.3}
    }
    dossier = Dossier.from_dict(data)
    assert dossier.insertion == InsertionFactors(Decimal("0.45"), Decimal("0.07"), Decimal("32.5"), Decimal("0.3"))
    again = Dossier.from_dict(json.loads(json.dumps(dossier.to_dict())))
    assert again == dossier
    assert again.to_dict()["insertion"] == {"labour_share": 0.45, "rate": 0.07, "hourly_cost": 32.5,
                                            "taken_over_share": 0.3}


def test_missing_factors_mean_the_defaults() -> None:
    factors = InsertionFactors.from_dict({"rate": "0,1"})  # a French decimal comma is read too
    assert factors == InsertionFactors(rate=Decimal("0.1"))
    assert factors.labour_share is None and factors.hourly_cost is None and factors.taken_over_share == 0
    assert factors.to_dict() == {"labour_share": None, "rate": 0.1, "hourly_cost": None, "taken_over_share": 0}


def test_existing_keys_are_unchanged_by_the_new_one() -> None:
    data = example_data()
    with_factors = Dossier.from_dict(data | {"insertion": {"rate": 0.1}}).to_dict()
    without = Dossier.from_dict(data).to_dict()
    assert set(with_factors) == set(without)
    assert {k: v for k, v in with_factors.items() if k != "insertion"} == {
        k: v for k, v in without.items() if k != "insertion"
    }


@pytest.mark.parametrize(
    ("insertion", "words"),
    [
        ({"rate": 5}, ["insertion.rate", "entre 0 et 1", "5 %"]),
        ({"labour_share": -0.1}, ["insertion.labour_share", "part de main-d'œuvre"]),
        ({"taken_over_share": 1.5}, ["insertion.taken_over_share", "personnel repris"]),
        ({"hourly_cost": 0}, ["insertion.hourly_cost", "coût horaire"]),
        ({"hourly_cost": 5000}, ["insertion.hourly_cost", "1000"]),
        ({"rate": "cinq"}, ["insertion.rate", "nombre", "cinq"]),
        ({"rate": True}, ["insertion.rate", "nombre"]),
        ({"rate": "NaN"}, ["insertion.rate", "fini"]),
        ({"taux": 0.05}, ["insertion.taux", "inconnu", "rate"]),
        ([0.5, 0.05], ["insertion", "objet"]),
    ],
)
def test_bad_factors_are_refused_with_a_french_message_naming_them(insertion, words) -> None:
    with pytest.raises(ValidationError) as caught:
        Dossier.from_dict(example_data() | {"insertion": insertion})
    for word in words:
        assert word in caught.value.message


def _table():
    return labour_table_from_dict(json.loads((resources_dir() / "rules" / "labour_shares.json").read_text("utf-8")))


def test_lot_contexts_carry_each_lots_own_hours_and_amount() -> None:
    dossier = Dossier(title="Travaux (fictif)", nature=Nature.TRAVAUX, cpv=["45000000-7"],
                      lots=[Lot("Gros œuvre", "45000000-7", 600_000), Lot("Peinture", "45442100-8", 300_000)])
    sizing = size_lots([LotInput(lot.title, lot.amount_eur, lot.cpv) for lot in dossier.lots], _table(),
                       rate=Decimal("0.05"), hourly_cost=Decimal(30), labour_share_override=Decimal("0.5"))
    lots = lot_contexts(dossier, sizing, prefill_context(dossier, sizing))
    assert [index for index, _label, _ctx in lots] == [0, 1]
    assert [ctx["insertion_hours"] for _i, _l, ctx in lots] == [500, 250]  # 600 000 × 50 % × 5 % ÷ 30
    assert [ctx["amount_eur"] for _i, _l, ctx in lots] == [600_000, 300_000]
    assert lots[1][1] == "Lot 2 : Peinture"
    assert prefill_context(dossier, sizing)["insertion_hours"] == 750  # the pooled total stays


def test_without_lots_nothing_is_sized_per_lot() -> None:
    dossier = Dossier.from_dict(example_data())
    sizing = size_lots([LotInput("Marché entier", dossier.amount_eur, dossier.main_cpv)], _table())
    assert lot_contexts(dossier, sizing, prefill_context(dossier, sizing)) == []


def test_the_insertion_clause_is_suggested_with_per_lot_hours(clause_library) -> None:
    dossier = Dossier.from_dict(example_data() | {
        "estimated_amount_eur": 0,
        "lots": [{"title": "Collèges de l'ouest", "cpv": "90911200-8", "amount_eur": 700_000},
                 {"title": "Collèges de l'est", "cpv": "90911200-8", "amount_eur": 500_000}],
    })
    sizing = size_lots([LotInput(lot.title, lot.amount_eur, lot.cpv) for lot in dossier.lots], _table(),
                       labour_share_override=Decimal("0.5"), rate=Decimal("0.1"), hourly_cost=Decimal(25))
    report = suggest_clauses(dossier, analyse(dossier).assessment, clause_library, sizing=sizing)
    insertion = next(s for s in report.suggestions if s.clause.id == "insertion-heures")
    assert insertion.variables["heures"] == sizing.total_hours == 2400  # pooled: 1 400 + 1 000
    assert [(lv.lot, lv.variables["heures"]) for lv in insertion.lot_variables] == [(0, 1400), (1, 1000)]
    assert insertion.lot_variables[0].variables["duree_mois"] == 48
    others = [s for s in report.suggestions if not sized_per_lot(s.clause)]
    assert others and all(s.lot_variables == () for s in others)


@pytest.fixture(scope="module")
def clause_library() -> list[ClauseTemplate]:
    from achatsdesk.services.clause_library import load_library

    return load_library(None).all()
