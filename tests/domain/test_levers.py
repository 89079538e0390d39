"""The lever from the local supply: thresholds on both sides, dependency, settings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from achatsdesk.domain.levers import (
    Lever,
    LeverSettings,
    economic_dependency,
    recommend_lever,
    yearly_budget,
)
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir

LOW = Decimal("0.10")
HIGH = Decimal("0.50")


@pytest.mark.parametrize("count, dependency, expected", [
    (31, LOW, Lever.RESERVE_CONTRACT),
    (30, LOW, Lever.RESERVE_LOT),  # "more than 30": 30 is not enough
    (31, HIGH, Lever.RESERVE_LOT),
    (31, Decimal("0.30"), Lever.RESERVE_LOT),  # under 30 %: exactly 30 % is not under
    (31, None, Lever.RESERVE_LOT),  # unknown dependency: never the whole contract
    (11, None, Lever.RESERVE_LOT),
    (10, None, Lever.INSERTION_CLAUSE),
    (2, None, Lever.INSERTION_CLAUSE),
    (1, None, Lever.SOCIAL_CRITERION),
    (0, None, Lever.NOTHING),
])
def test_default_thresholds(count, dependency, expected) -> None:
    decision = recommend_lever(count, dependency)
    assert decision.lever == expected
    assert decision.supplier_count == count and decision.reasons


def test_reasons_quote_the_numbers() -> None:
    decision = recommend_lever(31, Decimal("0.1"))
    assert "31 structures" in decision.reasons[0] and "10\u00a0%" in decision.reasons[0]
    assert "dépendance économique non calculable" in recommend_lever(40, None).reasons[0]


def test_settings_are_read_from_the_shipped_file_and_change_the_outcome() -> None:
    data = json.loads((resources_dir() / "rules" / "lever_settings.json").read_text("utf-8"))
    shipped = LeverSettings.from_dict(data)
    assert (shipped.reserve_contract_min, shipped.reserve_lot_min, shipped.insertion_min) == (30, 10, 1)
    assert shipped.max_dependency == Decimal("0.30")
    stricter = LeverSettings.from_dict({**data, "reserve_lot_min_suppliers": 20})
    assert recommend_lever(15, None, shipped).lever == Lever.RESERVE_LOT
    assert recommend_lever(15, None, stricter).lever == Lever.INSERTION_CLAUSE


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="décroître"):
        LeverSettings.from_dict({"reserve_contract_min_suppliers": 5, "reserve_lot_min_suppliers": 10,
                                 "insertion_clause_min_suppliers": 1, "max_dependency": 0.3})


def test_dependency_is_the_yearly_budget_over_the_average_known_turnover() -> None:
    budget = yearly_budget(1_200_000, 48)
    assert budget == Decimal(300_000)
    assert economic_dependency(budget, [1_000_000, None, 2_000_000]) == Decimal("0.2")
    assert economic_dependency(budget, [None, 0]) is None
    assert yearly_budget(50_000, 6) == Decimal(50_000)
