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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import ClauseSelection

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


class Counted(Protocol):
    """What is counted of a dossier: a Dossier, or the few columns storage reads for it."""

    @property
    def launch_date(self) -> date | None: ...
    @property
    def amount_eur(self) -> Decimal: ...
    @property
    def clauses(self) -> Sequence[ClauseSelection]: ...


def _hour_variables(template: ClauseTemplate) -> tuple[list[str], dict]:
    """The variables holding insertion hours, and the template's defaults (read once per template)."""
    names = [v.name for v in template.variables if v.prefill == "insertion_hours"]
    return names, (template.defaults() if names else {})


def counted_variables(library: Mapping[str, ClauseTemplate]) -> set[str]:
    """The clause ids whose variable values the indicators read (the insertion hours)."""
    return {clause_id for clause_id, template in library.items() if _hour_variables(template)[0]}


def _hours(names: list[str], defaults: dict, variables: Mapping) -> int:
    if not names:
        return 0
    values = {**defaults, **variables}
    total = 0
    for name in names:
        try:
            total += int(Decimal(str(values.get(name) or 0)))
        except (InvalidOperation, ValueError):  # a value from an old or hand-written file: not counted
            continue
    return total


def indicators_by_year(dossiers: Iterable[Counted], library: Mapping[str, ClauseTemplate]) -> list[YearIndicators]:
    """One line per launch year, most recent first, the dossiers without a date last.

    ``library``: clause id -> template; a chosen clause missing from it (a user clause
    since deleted) is not counted, rather than guessed.
    """
    # What each clause counts for, worked out once per template rather than once per dossier.
    hour_variables = {clause_id: _hour_variables(t) for clause_id, t in library.items()}
    marks = {clause_id: (t.eforms.get("BT-06"), t.kind == "reservation") for clause_id, t in library.items()}
    years: dict[int | str, list[Counted]] = {}
    for dossier in dossiers:
        years.setdefault(dossier.launch_date.year if dossier.launch_date else NO_DATE, []).append(dossier)
    lines = []
    for year, group in years.items():
        social = environmental = reserved = hours = 0
        social_amount = environmental_amount = total = Decimal(0)
        for dossier in group:
            amount = dossier.amount_eur
            total += amount
            chosen = [c for c in dossier.clauses if c.clause_id in marks]
            tags = {marks[c.clause_id][0] for c in chosen}
            if "soc-obj" in tags:
                social += 1
                social_amount += amount
            if "env-imp" in tags:
                environmental += 1
                environmental_amount += amount
            if any(marks[c.clause_id][1] for c in chosen):
                reserved += 1
            for c in chosen:
                names, defaults = hour_variables[c.clause_id]
                if names:
                    hours += _hours(names, defaults, c.variables)
        lines.append(YearIndicators(year, len(group), total, social, social_amount, environmental,
                                    environmental_amount, hours, reserved))
    return sorted(lines, key=lambda line: (isinstance(line.year, str), -(line.year if isinstance(line.year, int) else 0)))
