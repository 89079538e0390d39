"""The obligations and the checklist of a dossier, from the rules shipped in resources/rules.

The rule files are read once per process (they are read-only resources).
``check_dossier`` gives the JSON document printed by ``dossier check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from achatsdesk.domain.checklist import (
    ChecklistStep,
    ChecklistTemplate,
    build_checklist,
    load_checklist,
)
from achatsdesk.domain.dossier import Dossier, amount_json
from achatsdesk.domain.obligations import Assessment, Procedure
from achatsdesk.domain.plural import word_for
from achatsdesk.domain.procedure import ProcedureAssessment
from achatsdesk.domain.rules import RuleSet, evaluate, load_rules, load_thresholds_from
from achatsdesk.domain.thresholds import ThresholdTable
from achatsdesk.paths import resources_dir


@dataclass(frozen=True)
class RuleResources:
    rules: RuleSet
    thresholds: ThresholdTable
    checklist: ChecklistTemplate


@lru_cache(maxsize=4)
def rule_resources(directory: Path | None = None) -> RuleResources:
    folder = directory or resources_dir() / "rules"
    return RuleResources(load_rules(folder), load_thresholds_from(folder), load_checklist(folder))


@dataclass(frozen=True)
class DossierAnalysis:
    assessment: Assessment
    steps: list[ChecklistStep]


def analyse(dossier: Dossier, today: date | None = None) -> DossierAnalysis:
    res = rule_resources()
    from achatsdesk.services.clause_answers import answered_by_clauses

    assessment = evaluate(dossier, res.rules, res.thresholds, today)
    steps = build_checklist(res.checklist, assessment, dossier.items)
    return DossierAnalysis(assessment, answered_by_clauses(steps, dossier))


def missing_facts(dossier: Dossier) -> list[str]:
    """What the rules had to assume: a dossier without amount or launch date still gets an answer,
    but the buyer must know it rests on 0 € or on today's thresholds."""
    warnings = []
    missing = [f"n° {i} « {lot.title} »" for i, lot in enumerate(dossier.lots, start=1) if not lot.amount_known]
    if missing:
        lots = word_for(len(missing), "le lot", "les lots")
        their = word_for(len(missing), "sa procédure", "leur procédure")
        warnings.append(f"Montant à renseigner pour {lots} {', '.join(missing)} : {their} n'est pas "
                        "déterminée. Indiquez « amount_eur » pour chaque lot.")
    elif not dossier.amount_eur:
        warnings.append("Le montant estimé n'est pas renseigné : la procédure et les obligations sont calculées "
                        "pour 0 € HT. Indiquez « estimated_amount_eur » (ou le montant de chaque lot).")
    if dossier.launch_date is None:
        warnings.append("La date de lancement n'est pas renseignée : les seuils et obligations du jour sont retenus. "
                        "Indiquez « launch_date » (AAAA-MM-JJ).")
    if not dossier.cpv and not any(lot.cpv for lot in dossier.lots):
        warnings.append("Aucun code CPV : les obligations propres à un secteur (insertion, restauration, AGEC, "
                        "réservation) ne peuvent pas être reconnues. Indiquez « cpv ».")
    if not dossier.place_insee:
        warnings.append("Le lieu d'exécution n'est pas renseigné : le sourcing local ne peut pas être proposé. "
                        "Indiquez « place_insee » (code INSEE de la commune).")
    return warnings


def _procedure_json(procedure: Procedure) -> dict[str, Any]:
    publicity = procedure.publicity
    return {
        "id": procedure.id, "threshold_eur": procedure.threshold_eur, "basis": procedure.basis,
        "explanation": procedure.explanation, "to_confirm": procedure.to_confirm,
        "publicity": None if publicity is None else {
            "id": publicity.id, "explanation": publicity.explanation,
            "documents_online": publicity.documents_online, "to_confirm": publicity.to_confirm,
        },
    }


def procedure_document(assessment: Assessment) -> dict[str, Any]:
    """scope, procedure, value estimation, lots and small lots of ``dossier check --json``."""
    details: ProcedureAssessment | None = assessment.details
    scope: dict[str, Any] = {"judged": assessment.judged}
    if not assessment.judged:
        scope["reason"] = assessment.scope_reason
    document: dict[str, Any] = {"scope": scope, "procedure": _procedure_json(assessment.procedure)}
    estimation = details.estimation if details else None
    document["value_estimation"] = None if estimation is None else {
        "basis": estimation.basis, "includes": list(estimation.includes), "explanation": estimation.explanation}
    document["lots"] = [
        {"index": lot.index, "title": lot.title, "amount_eur": amount_json(lot.amount_eur),
         "procedure": _procedure_json(lot.procedure), "small_lot": lot.small_lot, "eligible": lot.eligible}
        for lot in (details.lots if details else [])
    ]
    small = details.small_lots if details else None
    document["small_lots"] = None if small is None else {
        "cap_eur": amount_json(small.cap_eur), "used_eur": amount_json(small.used_eur), "within_cap": small.within_cap,
        "proposal": small.proposal, "applicable": small.applicable, "explanation": small.explanation}
    return document


def check_dossier(dossier: Dossier, today: date | None = None,
                  homogeneous: list[str] | None = None) -> dict[str, Any]:
    """The document of ``dossier check --json``: scope, procedure (lot by lot), obligations, checklist,
    and warnings naming the facts the dossier leaves out (``homogeneous``: the split-need warnings
    found over the stored dossiers, see ``homogeneous_needs``)."""
    analysis = analyse(dossier, today)
    details = analysis.assessment.details
    warnings = missing_facts(dossier) + list(details.estimation.warnings if details and details.estimation else ())
    return {
        "warnings": warnings + list(homogeneous or []),
        **procedure_document(analysis.assessment),
        "obligations": [
            {
                "id": o.id,
                "status": o.status.value,
                "title": o.title,
                "legal_basis": o.legal_basis,
                "applies_from": o.applies_from.isoformat() if o.applies_from else None,
                "applies_until": o.applies_until.isoformat() if o.applies_until else None,
                "to_confirm": o.to_confirm,
                "explanation": o.explanation,
            }
            for o in analysis.assessment.obligations
        ],
        "checklist": [
            {
                "step": step.id,
                "title": step.title,
                "done": step.progress[0],
                "total": step.progress[1],
                "items": [
                    {
                        "id": item.id,
                        "title": item.title,
                        "status": item.status.value,
                        "mandatory": item.mandatory,
                        "obligation_id": item.obligation_id,
                        "justification": item.state.justification,
                        "justification_required": item.justification_required,
                    }
                    for item in step.items
                ],
            }
            for step in analysis.steps
        ],
    }
