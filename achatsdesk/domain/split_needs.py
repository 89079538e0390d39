"""Homogeneous needs split over several dossiers (R2121-5, R2121-6).

The value the law compares to the thresholds is not one dossier's amount when the
same buyer buys the same kind of thing in the same year under several dossiers:
supplies and services add up their homogeneous needs over the year (R2121-6),
works add up the whole opération (R2121-5). achatsdesk cannot know whether the
needs are homogeneous; it warns when the same buyer buys the same CPV family
(the first three digits, achatsdesk's reading, à vérifier) in the same launch year
under separate dossiers whose sum crosses a threshold that none crosses alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.dossier import ContractKind, Dossier
from achatsdesk.domain.formatting import format_money
from achatsdesk.domain.procedure import audience
from achatsdesk.domain.text import fold
from achatsdesk.domain.thresholds import ThresholdTable

FAMILY_DIGITS = 3


@dataclass(frozen=True)
class StoredNeed:
    id: int
    dossier: Dossier


def cpv_family(dossier: Dossier) -> str | None:
    code = dossier.main_cpv or next((lot.cpv for lot in dossier.lots if lot.cpv), None)
    return code[:FAMILY_DIGITS] if code else None


def same_need(dossier: Dossier, other: Dossier) -> bool:
    """Same buyer (name, accents and case aside), nature, CPV family and launch year; not itself."""
    if dossier.uid and other.uid == dossier.uid:
        return False
    if ContractKind.CONCESSION in (dossier.contract_kind, other.contract_kind):
        return False
    name = fold(dossier.buyer.name).strip()
    family = cpv_family(dossier)
    return bool(
        name and family and dossier.launch_date and other.launch_date
        and fold(other.buyer.name).strip() == name
        and other.nature == dossier.nature
        and cpv_family(other) == family
        and other.launch_date.year == dossier.launch_date.year
    )


def split_need_warning(dossier: Dossier, stored: list[StoredNeed], thresholds: ThresholdTable) -> str | None:
    """A French warning naming the other dossiers, or None."""
    others = [s for s in stored if same_need(dossier, s.dossier)]
    if not others or dossier.launch_date is None:
        return None
    amounts = [dossier.amount_eur] + [s.dossier.amount_eur for s in others]
    total = sum(amounts, Decimal(0))
    nature = dossier.nature.value
    for kind in ("eu", "dispense"):  # the larger threshold first: it is the one that changes most
        choice = thresholds.pick(kind, dossier.launch_date, nature, audience(dossier))
        if choice is None or total < choice.amount_eur or any(a >= choice.amount_eur for a in amounts):
            continue
        label = "seuil européen" if kind == "eu" else "seuil de dispense de publicité et de mise en concurrence"
        names = ", ".join(f"n° {s.id} « {s.dossier.title} » ({format_amount(s.dossier.amount_eur)})" for s in others)
        rule = ("les travaux d'une même opération s'additionnent (R2121-5)" if nature == "travaux"
                else "les besoins homogènes de l'année s'additionnent (R2121-6)")
        return (f"Besoin peut-être fractionné : le même acheteur achète la même famille CPV ({cpv_family(dossier)}…) "
                f"en {dossier.launch_date.year} dans d'autres dossiers : {names}. Avec celui-ci, ils totalisent "
                f"{format_amount(total)}, au-delà du {label} de {format_money(choice.amount_eur)} que chacun ne "
                f"franchit pas seul. Si ces besoins sont homogènes, {rule} et la procédure se détermine sur le total "
                "(famille CPV à trois chiffres : lecture d'achatsdesk, à vérifier).")
    return None
