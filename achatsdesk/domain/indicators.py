"""Indicators of the purchasing service's dossiers, year by year of launch.

What a SPASER report and a department head ask first: how many consultations,
for how much, how many (and how much of the amount) carry a social or an
environmental clause, how many insertion hours are planned, how many
contracts are reserved. A clause counts as social or environmental from its
eForms tag (BT-06 ``soc-obj`` / ``env-imp``), as the notice would declare it.

These are the dossiers prepared in achatsdesk on this computer, not the
contracts awarded: the figures say so wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.eforms import is_environmental, is_social

NO_DATE = "sans date"


@dataclass(frozen=True)
class YearIndicators:
    year: int | str  # the launch year, or NO_DATE
    dossiers: int
    amount_eur: Decimal
    social: int  # dossiers with at least one social clause
    social_amount_eur: Decimal
    environmental: int
    environmental_amount_eur: Decimal
    insertion_hours: int  # planned in the chosen insertion clauses
    reserved: int  # dossiers with a reserved contract or lot

    def share(self, amount: Decimal) -> Decimal | None:
        """The part of the year's amount, 0 to 1; None when the year has no amount."""
        return amount / self.amount_eur if self.amount_eur else None


def _hours(template: ClauseTemplate, variables: Mapping) -> int:
    names = [v.name for v in template.variables if v.prefill == "insertion_hours"]
    values = {**template.defaults(), **variables}
    total = 0
    for name in names:
        try:
            total += int(Decimal(str(values.get(name) or 0)))
        except (InvalidOperation, ValueError):  # a value from an old or hand-written file: not counted
            continue
    return total


def indicators_by_year(dossiers: Iterable[Dossier], library: Mapping[str, ClauseTemplate]) -> list[YearIndicators]:
    """One line per launch year, most recent first, the dossiers without a date last.

    ``library``: clause id -> template; a chosen clause missing from it (a user clause
    since deleted) is not counted, rather than guessed.
    """
    years: dict[int | str, list[Dossier]] = {}
    for dossier in dossiers:
        years.setdefault(dossier.launch_date.year if dossier.launch_date else NO_DATE, []).append(dossier)
    lines = []
    for year, group in years.items():
        social = environmental = reserved = hours = 0
        social_amount = environmental_amount = total = Decimal(0)
        for dossier in group:
            amount = dossier.amount_eur
            total += amount
            templates = [(library.get(c.clause_id), c) for c in dossier.clauses]
            chosen = [(t, c) for t, c in templates if t is not None]
            if any(is_social(t.eforms) for t, _ in chosen):
                social += 1
                social_amount += amount
            if any(is_environmental(t.eforms) for t, _ in chosen):
                environmental += 1
                environmental_amount += amount
            if any(t.kind == "reservation" for t, _ in chosen):
                reserved += 1
            hours += sum(_hours(t, c.variables) for t, c in chosen)
        lines.append(YearIndicators(year, len(group), total, social, social_amount, environmental,
                                    environmental_amount, hours, reserved))
    return sorted(lines, key=lambda line: (isinstance(line.year, str), -(line.year if isinstance(line.year, int) else 0)))
