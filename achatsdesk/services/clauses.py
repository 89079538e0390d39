"""Use cases of the clause area: render, suggest for a dossier, size insertion hours,
choose the lever from the local supply.

The shipped settings (resources/rules/labour_shares.json, lever_settings.json)
can be overridden by a copy of the same file in the user's configuration
folder: that is how a facilitator edits labour shares or thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from achatsdesk.domain.clauses import ClauseTemplate, render_clause
from achatsdesk.domain.dossier import ClauseSelection, Dossier, InsertionFactors
from achatsdesk.domain.insertion import (
    InsertionSizing,
    LabourShareTable,
    LotInput,
    labour_table_from_dict,
    size_lots,
)
from achatsdesk.domain.levers import (
    Lever,
    LeverDecision,
    LeverSettings,
    economic_dependency,
    recommend_lever,
    yearly_budget,
)
from achatsdesk.domain.suggestions import SuggestionReport, suggest_clauses
from achatsdesk.errors import ReferenceDataError, ValidationError
from achatsdesk.paths import app_paths, resources_dir
from achatsdesk.services.clause_library import ClauseLibrary, load_library
from achatsdesk.storage.database import Database

LABOUR_SHARES_FILE = "labour_shares.json"
LEVER_SETTINGS_FILE = "lever_settings.json"
CPV_SECTORS_FILE = "cpv_to_sectors.json"


# --- settings files -----------------------------------------------------------


def _read_json(name: str) -> Any:
    """The user's copy in the config folder when present, else the shipped file."""
    user_copy = app_paths().config / name
    path = user_copy if user_copy.is_file() else resources_dir() / "rules" / name
    return _read_path(path)


@lru_cache(maxsize=16)
def _read_cached(path: str, mtime: float) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _read_path(path: Path) -> Any:
    try:
        return _read_cached(str(path), path.stat().st_mtime)
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(
            f"Le fichier de réglages « {path.name} » est illisible.",
            hint="Supprimez votre copie modifiée dans le dossier de configuration pour revenir aux valeurs livrées.",
            detail=str(exc),
        ) from exc


def labour_table() -> LabourShareTable:
    return labour_table_from_dict(_read_json(LABOUR_SHARES_FILE))


def settings_document(name: str) -> dict[str, Any]:
    """The settings file as in force (the user's copy or the shipped one), to edit it."""
    if name not in (LABOUR_SHARES_FILE, LEVER_SETTINGS_FILE):
        raise ValidationError(f"Réglage « {name} » inconnu.")
    return json.loads(json.dumps(_read_json(name)))  # a fresh copy the caller may change


def save_settings_document(name: str, document: dict[str, Any]) -> Path:
    """Check then write the user's copy in the configuration folder (the shipped file never changes)."""
    if name == LABOUR_SHARES_FILE:
        labour_table_from_dict(document)
    elif name == LEVER_SETTINGS_FILE:
        LeverSettings.from_dict(document)
    else:
        raise ValidationError(f"Réglage « {name} » inconnu.")
    folder = app_paths().config
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(name + ".partiel")
    partial.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(target)
    return target


def reset_settings_document(name: str) -> None:
    """Back to the shipped values: the user's copy is removed."""
    (app_paths().config / name).unlink(missing_ok=True)


def lever_settings() -> LeverSettings:
    return LeverSettings.from_dict(_read_json(LEVER_SETTINGS_FILE))


@dataclass(frozen=True)
class SectorMatch:
    cpv: str
    prefix: str
    label: str
    sectors: tuple[str, ...]


def sectors_for_cpv(codes: Sequence[str]) -> list[SectorMatch]:
    """Marché de l'inclusion sectors for each CPV code (longest documented prefix)."""
    mappings = _read_path(resources_dir() / "rules" / CPV_SECTORS_FILE)["mappings"]
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


# --- rendering ----------------------------------------------------------------


def render(library: ClauseLibrary, clause_id: str, values: dict[str, Any] | None = None) -> str:
    return render_clause(library.get(clause_id), values)


def render_selection(library: ClauseLibrary, selection: ClauseSelection) -> str:
    return render_clause(library.get(selection.clause_id), selection.variables)


# --- insertion sizing -----------------------------------------------------------


_UNSET: Any = object()  # "not given": the dossier's own factor (or the default) applies


def sizing_factors(
    dossier: Dossier,
    *,
    rate: Any = _UNSET,
    hourly_cost: Any = _UNSET,
    labour_share: Any = _UNSET,
    taken_over_share: Any = _UNSET,
) -> dict[str, Any]:
    """The factors of the sizing: each one given here wins over the dossier's saved one
    (``dossier.insertion``), which wins over the defaults of the labour-share table."""
    saved = dossier.insertion or InsertionFactors()
    taken = saved.taken_over_share if taken_over_share is _UNSET or taken_over_share is None else taken_over_share
    return {
        "rate": saved.rate if rate is _UNSET else rate,
        "hourly_cost": saved.hourly_cost if hourly_cost is _UNSET else hourly_cost,
        "labour_share": saved.labour_share if labour_share is _UNSET else labour_share,
        "taken_over_share": taken,
    }


def size_dossier_insertion(
    dossier: Dossier,
    *,
    rate: Any = _UNSET,
    hourly_cost: Any = _UNSET,
    labour_share: Any = _UNSET,
    taken_over_share: Any = _UNSET,
    table: LabourShareTable | None = None,
) -> InsertionSizing:
    """Per lot (each with its CPV's labour share) or the whole contract, then pooled.

    Factors not given come from the dossier's saved ones, then from the table's
    defaults (``None`` given explicitly means "the default")."""
    table = table or labour_table()
    factors = sizing_factors(
        dossier, rate=rate, hourly_cost=hourly_cost, labour_share=labour_share, taken_over_share=taken_over_share
    )
    if dossier.lots:
        lots = [
            LotInput(lot.title or f"Lot {i}", lot.amount_eur, lot.cpv or dossier.main_cpv)
            for i, lot in enumerate(dossier.lots, start=1)
        ]
    else:
        lots = [LotInput("Marché entier", dossier.amount_eur, dossier.main_cpv)]
    return size_lots(
        lots, table, rate=factors["rate"], hourly_cost=factors["hourly_cost"],
        taken_over_share=factors["taken_over_share"], labour_share_override=factors["labour_share"],
    )


def follow_sizing(before: Dossier, after: Dossier, library: ClauseLibrary) -> None:
    """After a change of the sizing factors, the chosen clauses whose hours still are the
    figure computed before (the buyer did not type their own) take the new figure: the
    pooled total for the whole contract, each lot's hours for a clause chosen for a lot.
    Hours the buyer typed are left alone."""
    try:
        old, new = size_dossier_insertion(before), size_dossier_insertion(after)
    except ValidationError:
        return
    for selection in after.clauses:
        clause = library.find(selection.clause_id)
        if clause is None:
            continue
        if selection.lot is None:
            old_hours, new_hours = old.total_hours, new.total_hours
        elif len(after.lots) == len(new.lines) == len(old.lines) and 0 <= selection.lot < len(new.lines):
            old_hours, new_hours = old.lines[selection.lot].hours, new.lines[selection.lot].hours
        else:
            continue
        for variable in clause.variables:
            if variable.prefill == "insertion_hours" and selection.variables.get(variable.name) == old_hours:
                selection.variables[variable.name] = new_hours


# --- the lever ---------------------------------------------------------------


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


# --- suggestions ----------------------------------------------------------------


@dataclass(frozen=True)
class DossierClauseAdvice:
    report: SuggestionReport
    sizing: InsertionSizing
    lever: LeverAdvice | None


def suggest_for_dossier(
    dossier: Dossier,
    *,
    database: Database | None = None,
    library: ClauseLibrary | None = None,
    counter: SupplyCounter | None = None,
    today: date | None = None,
    taken_over_share: Any = _UNSET,
    rate: Any = _UNSET,
    hourly_cost: Any = _UNSET,
    labour_share: Any = _UNSET,
) -> DossierClauseAdvice:
    """Ranked clauses with reasons, variables pre-filled (insertion hours from the sizing).

    The sizing uses the dossier's saved factors unless one is given here; with
    lots, the insertion clause also carries its hours per lot."""
    from achatsdesk.services.dossier_rules import analyse, rule_resources

    library = library or load_library(database)
    assessment = analyse(dossier, today).assessment
    factors = sizing_factors(
        dossier, rate=rate, hourly_cost=hourly_cost, labour_share=labour_share, taken_over_share=taken_over_share
    )
    sizing = size_dossier_insertion(dossier, **factors)
    if counter is None and database is not None:
        counter = catalogue_counter(database)
    lever = None
    if counter is not None:
        try:
            lever = advise_lever(dossier, counter)
        except ValidationError:
            lever = None  # an unknown commune: suggestions still come, without the lever
    report = suggest_clauses(
        dossier, assessment, library.all(), sizing=sizing,
        lever=lever.decision if lever else None, taken_over_share=factors["taken_over_share"],
        families=rule_resources().rules.families,
    )
    return DossierClauseAdvice(report, sizing, lever)


def checklist_clause_links(steps, library: ClauseLibrary, dossier: Dossier | None = None) -> dict[str, list[str]]:
    """For each checklist item tied to an obligation, the clauses of the library that answer it
    (with a dossier: general clauses and those of its sector)."""
    from achatsdesk.domain.suggestions import clauses_answering

    links: dict[str, list[str]] = {}
    for step in steps:
        for item in step.items:
            if item.obligation_id:
                found = [c.id for c in clauses_answering(library.all(), item.obligation_id, dossier)]
                if found:
                    links[item.id] = found
    return links


def selection_from_suggestion(clause: ClauseTemplate, variables: dict[str, Any], lot: int | None = None) -> ClauseSelection:
    """What the dossier stores when the buyer adds a suggested clause (JSON-friendly values)."""
    plain = {}
    for name, value in variables.items():
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        plain[name] = value
    return ClauseSelection(clause_id=clause.id, version=clause.version, variables=plain, lot=lot)
