"""French formats for money, numbers, percentages and dates.

Written here rather than through babel because the rules are few and fixed,
and the start-up path must stay light: thousands are separated by a narrow
no-break space (U+202F), the euro sign follows a no-break space.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

_MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
_MONTHS_LONG = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]


def format_number(value: float | int | Decimal, decimals: int = 0) -> str:
    """1200000 -> "1 200 000" (narrow no-break spaces), 0.5 with 1 decimal -> "0,5"."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = NARROW_NBSP.join(groups)
    if fraction:
        text += "," + fraction
    return sign + text


def format_money(value: float | int | Decimal, *, ht: bool = True, decimals: int | None = None) -> str:
    """1200000 -> "1 200 000 € HT"; 215999.99 -> "215 999,99 € HT".

    Without ``decimals``, whole amounts show no cents and others show two:
    rounding 215 999,99 to "216 000" would misstate a threshold comparison.
    """
    if decimals is None:
        amount = Decimal(str(value))
        decimals = 0 if amount == amount.to_integral_value() else 2
    text = f"{format_number(value, decimals)}{NBSP}€"
    return f"{text}{NBSP}HT" if ht else text


def format_percent(ratio: float | Decimal, decimals: int = 0) -> str:
    """0.05 -> "5 %"."""
    value = Decimal(str(ratio)) * 100
    if decimals == 0 and value != value.to_integral_value():
        decimals = 1
    return f"{format_number(value, decimals)}{NBSP}%"


def format_date_short(day: date) -> str:
    """date(2026, 12, 1) -> "1er déc. 2026" (lists; French writes the first of the month "1er")."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS_SHORT[day.month - 1]} {day.year}"


def format_date_long(day: date) -> str:
    """date(2026, 12, 1) -> "1er décembre 2026" (documents)."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS_LONG[day.month - 1]} {day.year}"


def format_date_field(day: date) -> str:
    """date(2026, 12, 1) -> "01/12/2026" (fields)."""
    return day.strftime("%d/%m/%Y")
