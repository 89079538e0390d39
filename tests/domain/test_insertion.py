"""Insertion-hours sizing: the worked example, lots, staff taken over, rounding, properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from achatsdesk.domain.insertion import (
    LotInput,
    exact_hours,
    labour_table_from_dict,
    round_hours,
    size_line,
    size_lots,
)
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir


@pytest.fixture(scope="module")
def table():
    return labour_table_from_dict(json.loads((resources_dir() / "rules" / "labour_shares.json").read_text("utf-8")))


def test_the_published_worked_example_gives_833_hours() -> None:
    line = size_line("Travaux", 1_000_000, Decimal("0.5"), Decimal("0.05"), 30)
    assert line.hours == 833
    assert line.exact_hours.quantize(Decimal("0.01")) == Decimal("833.33")
    assert line.formula() == "1\u202f000\u202f000\u00a0€ × 50\u00a0% × 5\u00a0% ÷ 30\u00a0€/h = 833\u00a0h"


def test_the_ux_example_formula() -> None:
    line = size_line("Nettoyage", 1_200_000, Decimal("0.8"), Decimal("0.05"), 30)
    assert line.hours == 1600
    assert line.formula().replace("\u202f", " ").replace("\u00a0", " ") == "1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h"


def test_rounding_is_to_the_nearest_hour_half_up() -> None:
    assert round_hours(Decimal("832.5")) == 833
    assert round_hours(Decimal("832.49")) == 832


def test_staff_taken_over_are_excluded_from_the_base() -> None:
    full = size_line("x", 1_000_000, Decimal("0.8"), Decimal("0.05"), 30)
    reduced = size_line("x", 1_000_000, Decimal("0.8"), Decimal("0.05"), 30, Decimal("0.25"))
    assert abs(reduced.exact_hours - full.exact_hours * Decimal("0.75")) < Decimal("1e-20")
    assert (full.hours, reduced.hours) == (1333, 1000)
    assert "repris" in reduced.formula()


def test_lots_use_their_own_labour_share_and_pool(table) -> None:
    sizing = size_lots(
        [LotInput("Peinture", 200_000, "45442100-8"), LotInput("Charpente", 300_000, "45223100-7"),
         LotInput("Nettoyage", 100_000, "90911200-8")],
        table, taken_over_share=Decimal("0.5"),
    )
    painting, steel, cleaning = sizing.lines
    assert painting.labour_share == Decimal("0.7") and not painting.share_to_confirm
    assert steel.labour_share == Decimal("0.2")
    assert cleaning.labour_share == Decimal("0.8") and cleaning.share_to_confirm  # "à vérifier" in domain.md
    assert cleaning.taken_over_share == Decimal("0.5") and painting.taken_over_share == 0  # only cleaning takes over staff
    assert sizing.total_hours == painting.hours + steel.hours + cleaning.hours
    assert painting.hours == round_hours(Decimal(200_000) * Decimal("0.7") * Decimal("0.05") / 30)


def test_unknown_cpv_falls_back_to_a_default_marked_to_confirm(table) -> None:
    found = table.lookup("03000000-1")
    assert found.share == table.default_share and found.to_confirm


@pytest.mark.parametrize("args, word", [
    ((-1, 0.5, 0.05, 30), "négatif"),
    ((1000, 1.5, 0.05, 30), "main-d'œuvre"),
    ((1000, 0.5, -0.1, 30), "taux"),
    ((1000, 0.5, 0.05, 0), "coût horaire"),
])
def test_bad_factors_are_refused_in_french(args, word) -> None:
    with pytest.raises(ValidationError, match=word):
        exact_hours(*args)


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
ratios = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)
costs = st.decimals(min_value=Decimal("0.5"), max_value=200, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(amount=amounts, share=ratios, rate=ratios, cost=costs, taken=ratios)
def test_hours_are_never_negative(amount, share, rate, cost, taken) -> None:
    line = size_line("x", amount, share, rate, cost, taken)
    assert line.exact_hours >= 0 and line.hours >= 0


@settings(max_examples=200, deadline=None)
@given(amount=amounts, share=ratios, rate=ratios, cost=costs, factor=st.integers(min_value=1, max_value=50))
def test_hours_scale_linearly_with_the_amount(amount, share, rate, cost, factor) -> None:
    single = exact_hours(amount, share, rate, cost)
    scaled = exact_hours(amount * factor, share, rate, cost)
    assert abs(scaled - single * factor) <= Decimal("1e-12") * max(Decimal(1), scaled)
    # once rounded, the gap stays within the rounding of each figure
    assert abs(round_hours(scaled) - factor * round_hours(single)) <= (factor + 1) / 2


@settings(max_examples=100, deadline=None)
@given(amount=amounts, share=ratios, cost=costs)
def test_hours_grow_with_the_rate(amount, share, cost) -> None:
    double = exact_hours(amount, share, Decimal("0.10"), cost)
    single = exact_hours(amount, share, Decimal("0.05"), cost)
    assert abs(double - 2 * single) <= Decimal("1e-20") * max(Decimal(1), double)
