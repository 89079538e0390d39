"""Realised SPASER figures: the contracts actually awarded, year by year and service by
service, beside the planned figures of the dossiers (domain/indicators.py).

A contract line is one awarded lot of a dossier prepared in achatsdesk, or one
contract read from a DECP file (the buyer's past awards). Its considerations
come from domain/decp_considerations.py for the first, from the file for the
second: the SPASER report, the DECP export and the notice read the same tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from achatsdesk.domain.award import INCLUSIVE_KINDS
from achatsdesk.domain.decp_considerations import Considerations


@dataclass(frozen=True)
class ContractLine:
    source: str  # "dossier n° 3" or "DECP decp_2024.csv"
    contract_id: str  # the DECP identifier
    service: str  # the buyer's service (dossier's buyer, DECP acheteur_nom)
    buyer_siret: str
    title: str
    nature: str  # travaux / fournitures / services
    cpv: str
    lot: int
    holder_siret: str
    holder_name: str
    holder_kind: str | None
    amount_eur: Decimal
    notified_on: date
    procedure: str  # the DECP label
    duration_months: int | None
    offers_received: int | None
    considerations: Considerations
    place_insee: str | None = None
    hours_planned: Decimal = Decimal(0)
    hours_realised: Decimal = Decimal(0)
    beneficiaries: int = 0

    @property
    def year(self) -> int:
        return self.notified_on.year

    @property
    def inclusive_holder(self) -> bool:
        return self.holder_kind in INCLUSIVE_KINDS


@dataclass(frozen=True)
class SpaserLine:
    year: int
    service: str
    contracts: int
    amount_eur: Decimal
    social: int
    social_amount_eur: Decimal
    environmental: int
    environmental_amount_eur: Decimal
    hours_planned: Decimal
    hours_realised: Decimal
    beneficiaries: int
    inclusive_awards: int
    inclusive_amount_eur: Decimal
    reserved: int

    def share(self, amount: Decimal) -> Decimal | None:
        return amount / self.amount_eur if self.amount_eur else None


def spaser_lines(contracts: Iterable[ContractLine]) -> list[SpaserLine]:
    """One line per (year, service), most recent year first, services in alphabetical order."""
    groups: dict[tuple[int, str], list[ContractLine]] = {}
    for line in contracts:
        groups.setdefault((line.year, line.service), []).append(line)
    out = []
    for (year, service), lines in groups.items():
        social = [c for c in lines if c.considerations.social]
        env = [c for c in lines if c.considerations.environmental]
        inclusive = [c for c in lines if c.inclusive_holder]
        out.append(SpaserLine(
            year, service, len(lines), _sum(lines), len(social), _sum(social), len(env), _sum(env),
            sum((c.hours_planned for c in lines), Decimal(0)), sum((c.hours_realised for c in lines), Decimal(0)),
            sum(c.beneficiaries for c in lines), len(inclusive), _sum(inclusive),
            sum(1 for c in lines if c.considerations.reserved),
        ))
    return sorted(out, key=lambda s: (-s.year, s.service))


def hours_by_year(contracts: Iterable[ContractLine]) -> list[tuple[int, Decimal, Decimal]]:
    """(year, planned, realised) insertion hours, oldest year first: the Indicateurs chart."""
    years: dict[int, tuple[Decimal, Decimal]] = {}
    for line in contracts:
        planned, realised = years.get(line.year, (Decimal(0), Decimal(0)))
        years[line.year] = (planned + line.hours_planned, realised + line.hours_realised)
    return [(year, *years[year]) for year in sorted(years)]


def _sum(lines: list[ContractLine]) -> Decimal:
    return sum((c.amount_eur for c in lines), Decimal(0))
