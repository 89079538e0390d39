"""Which social lever suits the local supply of inclusive suppliers.

The Marché de l'inclusion's rule of thumb, kept as editable settings (not law):
more than 30 matching suppliers and an economic dependency under 30 % →
reserve the whole contract; more than 10 → reserve a lot; more than 1 →
insertion clause; otherwise a social award criterion (at least one supplier)
or nothing.

Economic dependency = yearly budget of the contract ÷ average yearly turnover
of the matching suppliers whose turnover is known. When no turnover is known
it cannot be computed: we then do not recommend reserving the whole contract
(the buyer could make suppliers dependent on one contract without knowing it)
and say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from achatsdesk.domain.formatting import format_number, format_percent
from achatsdesk.domain.geo import DEFAULT_RADIUS_KM
from achatsdesk.errors import ValidationError


class Lever(StrEnum):
    RESERVE_CONTRACT = "reserver-marche"
    RESERVE_LOT = "reserver-lot"
    INSERTION_CLAUSE = "clause-insertion"
    SOCIAL_CRITERION = "critere-social"
    NOTHING = "aucun"


LEVER_LABELS = {
    Lever.RESERVE_CONTRACT: "Réserver le marché",
    Lever.RESERVE_LOT: "Réserver un lot",
    Lever.INSERTION_CLAUSE: "Clause d'insertion",
    Lever.SOCIAL_CRITERION: "Critère d'attribution social",
    Lever.NOTHING: "Aucun levier lié à l'offre locale",
}

# The library clauses that put each lever into words.
LEVER_CLAUSES = {
    Lever.RESERVE_CONTRACT: ("reserve-ea-esat-siae", "reserve-siae", "reserve-ea-esat"),
    Lever.RESERVE_LOT: ("reserve-lot-siae-rc",),
    Lever.INSERTION_CLAUSE: ("insertion-heures",),
    Lever.SOCIAL_CRITERION: ("critere-performance-insertion",),
    Lever.NOTHING: (),
}


@dataclass(frozen=True)
class LeverSettings:
    reserve_contract_min: int = 30
    reserve_lot_min: int = 10
    insertion_min: int = 1
    max_dependency: Decimal = Decimal("0.30")
    radius_km: int = DEFAULT_RADIUS_KM
    kinds: tuple[str, ...] = ("EI", "ACI", "AI", "ETTI", "EA", "EATT", "ESAT")

    @classmethod
    def from_dict(cls, data: Any) -> LeverSettings:
        try:
            settings = cls(
                reserve_contract_min=int(data["reserve_contract_min_suppliers"]),
                reserve_lot_min=int(data["reserve_lot_min_suppliers"]),
                insertion_min=int(data["insertion_clause_min_suppliers"]),
                max_dependency=Decimal(str(data["max_dependency"])),
                radius_km=int(data.get("radius_km", DEFAULT_RADIUS_KM)),
                kinds=tuple(str(k) for k in data.get("kinds", cls.kinds)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"Les réglages du choix du levier sont incomplets ({exc}).",
                hint="Rétablissez le fichier livré lever_settings.json.",
            ) from None
        if not (settings.reserve_contract_min >= settings.reserve_lot_min >= settings.insertion_min >= 0):
            raise ValidationError(
                "Les seuils du choix du levier doivent décroître : marché réservé ≥ lot réservé ≥ clause d'insertion ≥ 0."
            )
        return settings


@dataclass(frozen=True)
class LeverDecision:
    lever: Lever
    supplier_count: int
    dependency: Decimal | None
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return LEVER_LABELS[self.lever]

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return LEVER_CLAUSES[self.lever]


def yearly_budget(amount_eur: int | Decimal, duration_months: int | None) -> Decimal:
    """The contract's amount spread over its years (a contract under a year counts whole)."""
    amount = Decimal(str(amount_eur))
    if not duration_months or duration_months <= 12:
        return amount
    return amount * 12 / Decimal(duration_months)


def economic_dependency(budget_eur: int | Decimal, turnovers: Iterable[int | Decimal | None]) -> Decimal | None:
    """Yearly budget ÷ average known turnover; None when no turnover is known."""
    known = [Decimal(str(t)) for t in turnovers if t is not None and Decimal(str(t)) > 0]
    if not known:
        return None
    average = sum(known) / len(known)
    return Decimal(str(budget_eur)) / average


def recommend_lever(supplier_count: int, dependency: Decimal | None, settings: LeverSettings | None = None) -> LeverDecision:
    """The lever for this supply, with the reasons in French (default settings: 30 / 10 / 1, 30 %)."""
    settings = settings or LeverSettings()
    if supplier_count < 0:
        raise ValidationError("Le nombre de structures ne peut pas être négatif.")
    count_text = f"{format_number(supplier_count)} structure{'s' if supplier_count > 1 else ''} inclusive{'s' if supplier_count > 1 else ''}"
    reasons: list[str] = []
    dep_text = (
        f"dépendance économique {format_percent(dependency.quantize(Decimal('0.001')))}"
        if dependency is not None
        else "dépendance économique non calculable (chiffre d'affaires inconnu)"
    )
    if supplier_count > settings.reserve_contract_min:
        if dependency is not None and dependency < settings.max_dependency:
            reasons.append(
                f"{count_text} (plus de {settings.reserve_contract_min}) et {dep_text} "
                f"(moins de {format_percent(settings.max_dependency)}) : le marché entier peut être réservé."
            )
            return LeverDecision(Lever.RESERVE_CONTRACT, supplier_count, dependency, tuple(reasons))
        reasons.append(
            f"{count_text} (plus de {settings.reserve_contract_min}), mais {dep_text}"
            + (f" (au moins {format_percent(settings.max_dependency)})" if dependency is not None else "")
            + " : réserver un lot plutôt que le marché entier."
        )
        return LeverDecision(Lever.RESERVE_LOT, supplier_count, dependency, tuple(reasons))
    if supplier_count > settings.reserve_lot_min:
        reasons.append(f"{count_text} (plus de {settings.reserve_lot_min}) : un lot peut leur être réservé.")
        return LeverDecision(Lever.RESERVE_LOT, supplier_count, dependency, tuple(reasons))
    if supplier_count > settings.insertion_min:
        reasons.append(
            f"{count_text} (plus de {settings.insertion_min}) : une clause d'insertion permet au titulaire de s'appuyer sur elles."
        )
        return LeverDecision(Lever.INSERTION_CLAUSE, supplier_count, dependency, tuple(reasons))
    if supplier_count > 0:
        reasons.append(
            f"{count_text} seulement : un critère d'attribution social valorise l'insertion sans l'imposer."
        )
        return LeverDecision(Lever.SOCIAL_CRITERION, supplier_count, dependency, tuple(reasons))
    reasons.append("Aucune structure inclusive trouvée pour ce secteur dans la zone : pas de levier lié à l'offre locale.")
    return LeverDecision(Lever.NOTHING, supplier_count, dependency, tuple(reasons))
