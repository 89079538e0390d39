"""Insertion-hours sizing.

    hours = amount HT × labour share × insertion rate ÷ loaded hourly cost

computed per lot (each lot with the labour share of its own CPV code) and
pooled. Staff taken over from the previous holder (cleaning) are excluded from
the labour base: the base is multiplied by (1 − share taken over).

Rounding rule: each lot's hours are rounded to the nearest whole hour (a half
hour rounds up); the pooled total is the sum of the rounded lot hours, so that
the figures written in the documents add up. 1 000 000 € × 50 % × 5 % ÷ 30 €/h
= 833,33 h, written 833 h.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from achatsdesk.domain.formatting import format_money, format_number, format_percent
from achatsdesk.errors import ValidationError

ZERO = Decimal(0)


@dataclass(frozen=True)
class LabourShare:
    cpv_prefix: str
    label: str
    share: Decimal
    source: str
    to_confirm: bool


@dataclass(frozen=True)
class LabourShareTable:
    shares: tuple[LabourShare, ...]
    default_share: Decimal
    default_source: str
    default_to_confirm: bool
    default_rate: Decimal
    default_hourly_cost: Decimal
    taken_over_prefixes: tuple[str, ...] = ()
    taken_over_explanation: str = ""
    rounding: str = ""

    def lookup(self, cpv: str | None) -> LabourShare:
        """The share for a CPV code: longest matching prefix, else the default (à vérifier)."""
        digits = (cpv or "").replace("-", "")[:8]
        best: LabourShare | None = None
        for entry in self.shares:
            if digits.startswith(entry.cpv_prefix) and (best is None or len(entry.cpv_prefix) > len(best.cpv_prefix)):
                best = entry
        if best is not None:
            return best
        return LabourShare("", "Valeur par défaut", self.default_share, self.default_source, self.default_to_confirm)

    def takes_over_staff(self, cpv: str | None) -> bool:
        digits = (cpv or "").replace("-", "")
        return any(digits.startswith(p) for p in self.taken_over_prefixes)


def labour_table_from_dict(data: Any) -> LabourShareTable:
    """Parse resources/rules/labour_shares.json (or the user's edited copy)."""
    try:
        defaults = data["defaults"]
        shares = tuple(
            LabourShare(
                cpv_prefix=str(e["cpv_prefix"]),
                label=str(e["label"]),
                share=_ratio(e["share"], f"part de main-d'œuvre « {e['label']} »"),
                source=str(e.get("source") or ""),
                to_confirm=bool(e.get("to_confirm", True)),
            )
            for e in data["shares"]
        )
        taken = data.get("taken_over_staff") or {}
        return LabourShareTable(
            shares=shares,
            default_share=_ratio(defaults["labour_share"], "part de main-d'œuvre par défaut"),
            default_source=str(defaults.get("labour_share_source") or ""),
            default_to_confirm=bool(defaults.get("labour_share_to_confirm", True)),
            default_rate=_ratio(defaults["insertion_rate"], "taux d'insertion par défaut"),
            default_hourly_cost=Decimal(str(defaults["hourly_cost_eur"])),
            taken_over_prefixes=tuple(str(p) for p in taken.get("cpv_prefixes", [])),
            taken_over_explanation=str(taken.get("explanation") or ""),
            rounding=str(data.get("rounding") or ""),
        )
    except (KeyError, TypeError) as exc:
        raise ValidationError(
            f"Le tableau des parts de main-d'œuvre est incomplet (champ {exc} manquant).",
            hint="Rétablissez le fichier livré ou corrigez votre copie.",
        ) from None


def _ratio(value: Any, name: str) -> Decimal:
    number = Decimal(str(value))
    if not (ZERO <= number <= 1):
        raise ValidationError(f"La {name} doit être comprise entre 0 et 1 (reçu {value}).")
    return number


@dataclass(frozen=True)
class InsertionLine:
    label: str
    amount_eur: Decimal
    labour_share: Decimal
    rate: Decimal
    hourly_cost: Decimal
    taken_over_share: Decimal
    exact_hours: Decimal
    hours: int
    share_source: str = ""
    share_to_confirm: bool = False
    cpv: str | None = None

    def formula(self) -> str:
        """"1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h" with this line's own numbers."""
        parts = [
            format_money(self.amount_eur, ht=False),
            format_percent(self.labour_share),
        ]
        if self.taken_over_share:
            parts.append(f"(1 − {format_percent(self.taken_over_share)} repris)")
        parts.append(format_percent(self.rate))
        cost = format_money(self.hourly_cost, ht=False, decimals=0 if self.hourly_cost == self.hourly_cost.to_integral_value() else 2)
        return f"{' × '.join(parts)} ÷ {cost}/h = {format_number(self.hours)}\u00a0h"


@dataclass(frozen=True)
class InsertionSizing:
    lines: tuple[InsertionLine, ...]

    @property
    def total_hours(self) -> int:
        return sum(line.hours for line in self.lines)


def exact_hours(amount_eur, labour_share, rate, hourly_cost, taken_over_share=0) -> Decimal:
    """The unrounded hours; every factor checked (French message naming it)."""
    amount = _non_negative(amount_eur, "montant HT")
    share = _bounded_ratio(labour_share, "part de main-d'œuvre")
    insertion_rate = _bounded_ratio(rate, "taux d'insertion")
    taken = _bounded_ratio(taken_over_share, "part de personnel repris")
    cost = Decimal(str(hourly_cost))
    if cost <= 0:
        raise ValidationError("Le coût horaire chargé doit être supérieur à 0 €/h.")
    return amount * share * (1 - taken) * insertion_rate / cost


def round_hours(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def size_line(label, amount_eur, labour_share, rate, hourly_cost, taken_over_share=0, *, source="", to_confirm=False, cpv=None) -> InsertionLine:
    exact = exact_hours(amount_eur, labour_share, rate, hourly_cost, taken_over_share)
    return InsertionLine(
        label=label,
        amount_eur=Decimal(str(amount_eur)),
        labour_share=Decimal(str(labour_share)),
        rate=Decimal(str(rate)),
        hourly_cost=Decimal(str(hourly_cost)),
        taken_over_share=Decimal(str(taken_over_share)),
        exact_hours=exact,
        hours=round_hours(exact),
        share_source=source,
        share_to_confirm=to_confirm,
        cpv=cpv,
    )


@dataclass(frozen=True)
class LotInput:
    label: str
    amount_eur: int | Decimal
    cpv: str | None


def size_lots(
    lots: Iterable[LotInput],
    table: LabourShareTable,
    *,
    rate=None,
    hourly_cost=None,
    taken_over_share=0,
    labour_share_override=None,
) -> InsertionSizing:
    """Per lot with each lot's labour share (or the override), then pooled."""
    rate = table.default_rate if rate is None else rate
    hourly_cost = table.default_hourly_cost if hourly_cost is None else hourly_cost
    lines = []
    for lot in lots:
        found = table.lookup(lot.cpv)
        share = found.share if labour_share_override is None else Decimal(str(labour_share_override))
        taken = taken_over_share if table.takes_over_staff(lot.cpv) else 0
        lines.append(
            size_line(
                lot.label, lot.amount_eur, share, rate, hourly_cost, taken,
                source=found.source if labour_share_override is None else "Valeur saisie par l'utilisateur",
                to_confirm=found.to_confirm if labour_share_override is None else False,
                cpv=lot.cpv,
            )
        )
    return InsertionSizing(tuple(lines))


def _non_negative(value, name: str) -> Decimal:
    number = Decimal(str(value))
    if number < 0 or not number.is_finite():
        raise ValidationError(f"Le {name} ne peut pas être négatif.")
    return number


def _bounded_ratio(value, name: str) -> Decimal:
    number = Decimal(str(value))
    if not (ZERO <= number <= 1):
        raise ValidationError(
            f"La valeur « {name} » doit être comprise entre 0 et 1 (par exemple 0,05 pour 5 %) ; reçu {value}."
        )
    return number
