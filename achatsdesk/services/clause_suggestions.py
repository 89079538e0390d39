"""The clauses suggested for a dossier: ranked, with their reasons and their variables
pre-filled (insertion hours from the sizing, the lever from the local supply), and what the
dossier stores when the buyer adds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import ClauseSelection, Dossier
from achatsdesk.domain.insertion import InsertionSizing
from achatsdesk.domain.suggestions import SuggestionReport, suggest_clauses
from achatsdesk.errors import ValidationError
from achatsdesk.services.clause_library import ClauseLibrary, load_library
from achatsdesk.services.insertion_sizing import UNSET, size_dossier_insertion, sizing_factors
from achatsdesk.services.lever_advice import (
    LeverAdvice,
    SupplyCounter,
    advise_lever,
    catalogue_counter,
)
from achatsdesk.storage.database import Database


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
    taken_over_share: Any = UNSET,
    rate: Any = UNSET,
    hourly_cost: Any = UNSET,
    labour_share: Any = UNSET,
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
