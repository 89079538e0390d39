"""Where a clause applies: natures, procedures, divided into lots or not, CPV families, amount.

A clause of the library declares it (``applies_to`` in its JSON); suggestions
leave out a clause that does not apply, and a clause the buyer chose anyway is
reported with the reason. Without ``applies_to`` a clause applies everywhere.
This is what keeps a reserved-lot clause out of an undivided contract, an
award criterion out of a purchase without competition (dispense) and a
deliveries clause out of works.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from achatsdesk.domain.formatting import format_money

NATURE_PHRASES = {"travaux": "des travaux", "fournitures": "des fournitures", "services": "des services"}
PROCEDURE_PHRASES = {
    "dispense": "un achat sans publicité ni mise en concurrence",
    "mapa": "une procédure adaptée",
    "formalisee": "une procédure formalisée",
}
FAMILY_PHRASES = {
    "agec": "des produits d'une catégorie de l'article 58 de la loi AGEC",
    "catering": "de la restauration collective ou des denrées alimentaires",
    "labour_intensive": "un achat à forte intensité de main-d'œuvre",
    "ess_reservable": "des services réservables aux entreprises de l'ESS",
}


@dataclass(frozen=True)
class Applicability:
    natures: tuple[str, ...] = ()  # empty: every nature
    procedures: tuple[str, ...] = ()  # procedure ids (domain/thresholds.py); empty: every procedure
    divided: bool | None = None  # True: only with lots; False: only without; None: either
    cpv_families: tuple[str, ...] = ()  # families of resources/rules/cpv_mappings.json; one must match
    min_amount_eur: Decimal | None = None

    @property
    def is_everywhere(self) -> bool:
        return self == Applicability()


@dataclass(frozen=True)
class DossierFacts:
    """What applicability looks at, computed once per dossier."""

    nature: str
    procedure: str
    lot_count: int
    amount_eur: Decimal
    families: frozenset[str] | None  # CPV families the dossier's codes fall in; None: not known
    agec_groups: tuple[str, ...] = ()  # AGEC category ids matched by the CPV codes, in order


def applicability_from_dict(data: Any, clause_id: str) -> Applicability:
    """Read ``applies_to``; French error naming the field."""
    from achatsdesk.errors import ValidationError

    if data in (None, {}):
        return Applicability()
    if not isinstance(data, dict):
        raise ValidationError(f"Le champ « applies_to » de la clause « {clause_id} » doit être un objet.")
    unknown = set(data) - {"natures", "procedures", "divided", "cpv_families", "min_amount_eur"}
    if unknown:
        raise ValidationError(f"Champ « applies_to.{sorted(unknown)[0]} » inconnu dans la clause « {clause_id} ».")

    def names(key: str, allowed: Iterable[str]) -> tuple[str, ...]:
        value = data.get(key) or []
        allowed = set(allowed)
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            raise ValidationError(
                f"« applies_to.{key} » de la clause « {clause_id} » doit être une liste parmi : {', '.join(sorted(allowed))}."
            )
        return tuple(value)

    divided = data.get("divided")
    if divided is not None and not isinstance(divided, bool):
        raise ValidationError(f"« applies_to.divided » de la clause « {clause_id} » vaut true, false ou null.")
    amount = data.get("min_amount_eur")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0):
        raise ValidationError(f"« applies_to.min_amount_eur » de la clause « {clause_id} » doit être un montant positif.")
    return Applicability(
        natures=names("natures", NATURE_PHRASES),
        procedures=names("procedures", PROCEDURE_PHRASES),
        divided=divided,
        cpv_families=names("cpv_families", FAMILY_PHRASES),
        min_amount_eur=Decimal(str(amount)) if amount is not None else None,
    )


def applicability_to_dict(value: Applicability) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if value.natures:
        out["natures"] = list(value.natures)
    if value.procedures:
        out["procedures"] = list(value.procedures)
    if value.divided is not None:
        out["divided"] = value.divided
    if value.cpv_families:
        out["cpv_families"] = list(value.cpv_families)
    if value.min_amount_eur is not None:
        amount = value.min_amount_eur
        out["min_amount_eur"] = int(amount) if amount == amount.to_integral_value() else float(amount)
    return out


def why_not_applicable(value: Applicability, facts: DossierFacts) -> str | None:
    """Why the clause does not fit the dossier (French, after "ne s'applique pas : "), or None."""
    if value.natures and facts.nature not in value.natures:
        return f"elle vise {' ou '.join(NATURE_PHRASES[n] for n in value.natures)}"
    if value.procedures and facts.procedure not in value.procedures:
        return f"elle ne vaut pas pour {PROCEDURE_PHRASES.get(facts.procedure, facts.procedure)}"
    if value.divided is True and facts.lot_count < 2:
        return "elle suppose un marché décomposé en lots"
    if value.divided is False and facts.lot_count >= 2:
        return "elle vise un marché qui n'est pas décomposé en lots"
    if value.cpv_families and facts.families is not None and not facts.families.intersection(value.cpv_families):
        return f"elle vise {' ou '.join(FAMILY_PHRASES[f] for f in value.cpv_families)}"
    if value.min_amount_eur is not None and facts.amount_eur < value.min_amount_eur:
        return f"elle vise un marché d'au moins {format_money(value.min_amount_eur)}"
    return None


def dossier_facts(dossier, procedure: str, families: Mapping[str, Any] | None = None) -> DossierFacts:
    """The facts of a dossier; ``families`` are the CpvFamily objects of the rules (by name)."""
    codes = [c for c in dossier.cpv if c] + [lot.cpv for lot in dossier.lots if lot.cpv]
    matched: set[str] = set()
    agec: list[str] = []
    for name, family in (families or {}).items():
        groups = family.matching_groups(codes)
        if groups or dossier.nature.value in getattr(family, "natures", ()):
            matched.add(name)
        if name == "agec":
            agec = [g.id for g in groups]
    return DossierFacts(
        nature=dossier.nature.value, procedure=procedure, lot_count=len(dossier.lots),
        amount_eur=Decimal(dossier.amount_eur or 0), families=frozenset(matched) if families is not None else None,
        agec_groups=tuple(agec),
    )
