"""The lever advised for a dossier (reserved contract, insertion clause, nothing…) from the
inclusive suppliers of its sectors around its place, counted through the catalogue's search.

The thresholds are the Marché de l'inclusion's markers (rule_settings.lever_settings), not law.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.levers import (
    Lever,
    LeverDecision,
    LeverSettings,
    economic_dependency,
    recommend_lever,
    yearly_budget,
)
from achatsdesk.paths import resources_dir
from achatsdesk.services.rule_settings import CPV_SECTORS_FILE, lever_settings, read_path
from achatsdesk.storage.database import Database


@dataclass(frozen=True)
class SectorMatch:
    cpv: str
    prefix: str
    label: str
    sectors: tuple[str, ...]


def sectors_for_cpv(codes: Sequence[str]) -> list[SectorMatch]:
    """Marché de l'inclusion sectors for each CPV code (longest documented prefix)."""
    mappings = read_path(resources_dir() / "rules" / CPV_SECTORS_FILE)["mappings"]
    found = []
    for code in codes:
        digits = code.replace("-", "")[:8]
        best = None
        for entry in mappings:
            if digits.startswith(entry["cpv_prefix"]) and (best is None or len(entry["cpv_prefix"]) > len(best["cpv_prefix"])):
                best = entry
        if best is not None:
            found.append(SectorMatch(code, best["cpv_prefix"], best["label"], tuple(best["sectors"])))
    return found


@dataclass(frozen=True)
class LocalSupplier:
    name: str
    kind: str
    commune: str | None
    departement: str | None
    distance_km: float | None
    siret: str | None
    source: str
    source_date: str
    turnover_eur: int | None = None


@dataclass(frozen=True)
class LocalSupply:
    total: int
    suppliers: tuple[LocalSupplier, ...]


# search(sectors, kinds, near_insee, radius_km, departement, limit) -> LocalSupply
SupplyCounter = Callable[[tuple[str, ...], tuple[str, ...], str | None, float | None, str | None, int], LocalSupply]


def catalogue_counter(database: Database) -> SupplyCounter:
    """Counts matching suppliers through the catalogue's own search."""
    from achatsdesk.services.catalogue import search_suppliers

    # The shipped catalogue is loaded when the database is opened (services/bootstrap.py).
    def count(sectors, kinds, near, radius_km, departement, limit) -> LocalSupply:
        result = search_suppliers(
            database,
            kinds=kinds,
            sectors=sectors,
            departements=(departement,) if departement else (),
            near=near,
            radius_km=radius_km,
            limit=limit,
        )
        return LocalSupply(
            result.total,
            tuple(
                LocalSupplier(
                    name=h.name, kind=h.kind, commune=h.commune, departement=h.departement,
                    distance_km=h.distance_km, siret=h.siret, source=h.source, source_date=h.source_date,
                )
                for h in result.hits
            ),
        )

    return count


@dataclass(frozen=True)
class LeverAdvice:
    decision: LeverDecision
    sectors: tuple[SectorMatch, ...]
    area: str  # "30 km autour de Cergy (95127)" or "département 95"
    budget_eur: Decimal
    suppliers: tuple[LocalSupplier, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def advise_lever(
    dossier: Dossier,
    counter: SupplyCounter,
    *,
    settings: LeverSettings | None = None,
    scope: str = "rayon",
    place_name: str | None = None,
    departement: str | None = None,
    limit: int = 50,
) -> LeverAdvice:
    """The recommended lever for this dossier's sector and place, with the suppliers behind it."""
    settings = settings or lever_settings()
    matches = tuple(sectors_for_cpv(dossier.cpv + [lot.cpv for lot in dossier.lots if lot.cpv]))
    sectors = tuple(dict.fromkeys(slug for m in matches for slug in m.sectors))
    budget = yearly_budget(dossier.amount_eur, dossier.duration_months)
    if not sectors:
        decision = LeverDecision(Lever.NOTHING, 0, None, (
            "Aucun secteur du Marché de l'inclusion ne correspond au code CPV du dossier : "
            "l'offre locale ne peut pas être comptée. Consultez le catalogue par mot-clé.",))
        return LeverAdvice(decision, matches, "", budget)
    if not dossier.place_insee:
        decision = LeverDecision(Lever.NOTHING, 0, None, (
            "Renseignez le lieu d'exécution du dossier pour compter les structures inclusives proches.",))
        return LeverAdvice(decision, matches, "", budget)
    if scope == "departement":
        dept = departement or dossier.place_insee[:3 if dossier.place_insee.startswith("97") else 2]
        supply = counter(sectors, settings.kinds, None, None, dept, limit)
        area = f"département {dept}"
    else:
        supply = counter(sectors, settings.kinds, dossier.place_insee, float(settings.radius_km), None, limit)
        area = f"{settings.radius_km} km autour de {place_name or dossier.place_insee}"
    dependency = economic_dependency(budget, [s.turnover_eur for s in supply.suppliers])
    decision = recommend_lever(supply.total, dependency, settings)
    notes = [f"Zone : {area} ; structures de type {', '.join(settings.kinds)}."]
    notes.append("Secteurs retenus d'après le code CPV : " + " ; ".join(f"{m.prefix} {m.label}" for m in matches) + ".")
    notes.append("Seuils du Marché de l'inclusion, modifiables : ce sont des repères, pas des règles de droit.")
    return LeverAdvice(decision, matches, area, budget, supply.suppliers, tuple(notes))
