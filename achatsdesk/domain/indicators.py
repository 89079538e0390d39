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
from achatsdesk.domain.dossier import ClauseSelection, Dossier
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


def hour_variables(template: ClauseTemplate) -> tuple[list[str], dict]:
    """The variables of ``template`` that hold insertion hours, and its defaults."""
    return _hour_variables(template)


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


@dataclass(frozen=True)
class DossierIndicators:
    """One dossier's share of the yearly figures: every number of a year line adds these up."""

    title: str
    reference: str
    year: int | str
    amount_eur: Decimal
    social_clauses: int  # chosen clauses tagged soc-obj
    environmental_clauses: int  # chosen clauses tagged env-imp
    clauses_by_kind: tuple[tuple[str, int], ...]  # (kind, count) in the library's kinds
    insertion_hours: int
    reserved: bool

    @property
    def social(self) -> bool:
        return self.social_clauses > 0

    @property
    def environmental(self) -> bool:
        return self.environmental_clauses > 0


def dossier_indicators_of(dossier: Dossier, library: Mapping[str, ClauseTemplate]) -> DossierIndicators:
    chosen = [(t, c) for t, c in ((library.get(c.clause_id), c) for c in dossier.clauses) if t is not None]
    kinds: dict[str, int] = {}
    for template, _ in chosen:
        kinds[template.kind] = kinds.get(template.kind, 0) + 1
    return DossierIndicators(
        title=dossier.title, reference=dossier.reference or "",
        year=dossier.launch_date.year if dossier.launch_date else NO_DATE, amount_eur=dossier.amount_eur,
        social_clauses=sum(1 for t, _ in chosen if t.eforms.get("BT-06") == "soc-obj"),
        environmental_clauses=sum(1 for t, _ in chosen if t.eforms.get("BT-06") == "env-imp"),
        clauses_by_kind=tuple(sorted(kinds.items())),
        insertion_hours=sum(_hours(*_hour_variables(t), c.variables) for t, c in chosen),
        reserved=any(t.kind == "reservation" for t, _ in chosen),
    )


def indicators_by_dossier(dossiers: Iterable[Dossier], library: Mapping[str, ClauseTemplate]) -> list[DossierIndicators]:
    """The per-dossier lines behind the yearly summary, most recent year first."""
    lines = [dossier_indicators_of(d, library) for d in dossiers]
    return sorted(lines, key=lambda line: (isinstance(line.year, str), -(line.year if isinstance(line.year, int) else 0),
                                           line.title.casefold()))


def indicators_by_year(dossiers: Iterable[Counted], library: Mapping[str, ClauseTemplate]) -> list[YearIndicators]:
    """One line per launch year, most recent first, the dossiers without a date last.

    ``library``: clause id -> template; a chosen clause missing from it (a user clause
    since deleted) is not counted, rather than guessed.
    """
    # What each clause counts for, worked out once per template rather than once per dossier.
    hour_variables = {clause_id: _hour_variables(t) for clause_id, t in library.items()}
    # (social, environmental, reservation): the eForms tags decide, as the notice declares them.
    marks = {clause_id: (is_social(t.eforms), is_environmental(t.eforms), t.kind == "reservation")
             for clause_id, t in library.items()}
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
            if any(marks[c.clause_id][0] for c in chosen):
                social += 1
                social_amount += amount
            if any(marks[c.clause_id][1] for c in chosen):
                environmental += 1
                environmental_amount += amount
            if any(marks[c.clause_id][2] for c in chosen):
                reserved += 1
            for c in chosen:
                names, defaults = hour_variables[c.clause_id]
                if names:
                    hours += _hours(names, defaults, c.variables)
        lines.append(YearIndicators(year, len(group), total, social, social_amount, environmental,
                                    environmental_amount, hours, reserved))
    return sorted(lines, key=lambda line: (isinstance(line.year, str), -(line.year if isinstance(line.year, int) else 0)))
