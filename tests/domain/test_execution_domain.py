"""Periods, dates and SIRET of the execution follow-up."""

from __future__ import annotations

from datetime import date

import pytest

from achatsdesk.domain.award import add_months, check_siret, months_between
from achatsdesk.domain.execution import check_period, check_value, period_of
from achatsdesk.errors import ValidationError


@pytest.mark.parametrize("typed", ["2027-T1", "2027t1", "T1 2027", "2027-Q1", " 2027 T1 "])
def test_quarters_are_read_in_the_usual_spellings(typed) -> None:
    assert check_period(typed) == "2027-T1"


@pytest.mark.parametrize("typed", ["2027-T5", "2027-03", "T0 2027", "", None])
def test_other_periods_are_refused_in_french(typed) -> None:
    with pytest.raises(ValidationError, match="un trimestre s'écrit 2027-T1"):
        check_period(typed)


def test_dates_of_the_contract() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 15), 14) == date(2029, 1, 15)
    assert months_between(date(2027, 1, 4), date(2027, 5, 3)) == 3
    assert months_between(date(2027, 1, 4), date(2027, 5, 4)) == 4
    assert period_of(date(2027, 12, 31)) == "2027-T4"


def test_siret_and_values() -> None:
    assert check_siret("775 544 026 01177") == "77554402601177"
    with pytest.raises(ValidationError, match="clé de contrôle"):
        check_siret("77554402601178")
    assert check_value("12,5") == 12.5
    with pytest.raises(ValidationError, match="négative"):
        check_value("-1")
