"""Which clauses of the library suit a dossier, ranked, each with its reasons.

A clause is suggested when it answers one of the dossier's obligations or when
its CPV prefixes match the dossier's CPV codes (main code, others, lots). A
clause written for a sector (it lists CPV prefixes) is suggested only when one
of them matches. Every ``obligatoire`` obligation ends up covered by at least
one suggestion when the library holds a clause for it; otherwise it is
reported as uncovered.

Variables are pre-filled from the dossier through each variable's ``prefill``
key (see ``prefill_context``); a value outside the variable's bounds is left
to the default rather than refused, since the buyer will edit it anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from achatsdesk.domain.applicability import dossier_facts, why_not_applicable
from achatsdesk.domain.clauses import ClauseTemplate, answered_obligations, coerce_value
from achatsdesk.domain.dossier import Dossier, Nature
from achatsdesk.domain.formatting import format_date_long
from achatsdesk.domain.insertion import InsertionSizing
from achatsdesk.domain.levers import LeverDecision
from achatsdesk.domain.obligations import STATUS_LABELS, Assessment, Obligation, ObligationStatus
from achatsdesk.errors import ValidationError

STATUS_WEIGHT = {
    ObligationStatus.OBLIGATOIRE: 100,
    ObligationStatus.RECOMMANDE: 40,
    ObligationStatus.A_ENVISAGER: 20,
    ObligationStatus.INFORMATION: 5,
}
EXTRA_OBLIGATION_WEIGHT = 10  # a clause answering several obligations ranks a little higher, not double
# A clause written for the dossier's own sector (its CPV) is the most specific
# advice: it ranks above the general clauses that answer an obligation
# (100), below a general clause that is also the primary answer to a
# mandatory obligation only when it answers nothing itself.
CPV_WEIGHT = 110
LEVER_WEIGHT = 120  # the local supply's advice beats a mere sector match
# The insertion clause sized in hours on a supply that is not labour-intensive
# (no insertion-clause obligation): hours computed on a default labour share
# mean little, so it is ranked at the bottom, with its reason.
UNSUITED_INSERTION_SCORE = 5
PRIMARY_WEIGHT = 25
# The clause written first and foremost for an obligation ranks above the
# clauses that also answer it (a delivery clause is an environmental condition,
# but not the one a buyer looks for first).
PRIMARY_CLAUSES = {
    "env-execution-condition": ("condition-environnementale",),
    "env-award-criterion": ("critere-environnemental",),
    "social-execution-condition": ("insertion-heures", "clause-sociale-generale-services"),
    "insertion-clause": ("insertion-heures",),
    "lots": ("allotissement-justification",),
    "spaser": ("spaser-donnees",),
    "agec-reuse-recycled": ("agec-reemploi-recycle",),
    "egalim": ("restauration-egalim",),
    "labels": ("labels-equivalence",),
}
# A clause asking for one of these is sized per lot when the dossier has lots.
PER_LOT_PREFILLS = frozenset({"insertion_hours"})
_ARTICLE = re.compile(r"\b[LRD]\d{3,4}-\d+(?:-\d+)?\b")


@dataclass(frozen=True)
class LotVariables:
    """The variables of a clause pre-filled for one lot (its own amount and hours)."""

    lot: int  # index in Dossier.lots
    label: str
    variables: dict[str, Any]


@dataclass(frozen=True)
class Suggestion:
    clause: ClauseTemplate
    score: int
    reasons: tuple[str, ...]
    obligation_ids: tuple[str, ...]
    variables: dict[str, Any] = field(default_factory=dict)  # for the whole contract (pooled hours)
    lot_variables: tuple[LotVariables, ...] = ()  # per lot, for a clause sized per lot (insertion hours)

    @property
    def why(self) -> str:
        return " ; ".join(self.reasons)


@dataclass(frozen=True)
class SuggestionReport:
    suggestions: tuple[Suggestion, ...]
    uncovered: tuple[Obligation, ...]  # obligatoire obligations no clause of the library answers

    def covering(self, obligation_id: str) -> list[Suggestion]:
        return [s for s in self.suggestions if obligation_id in s.obligation_ids]


def dossier_cpv_codes(dossier: Dossier) -> list[str]:
    codes = [c for c in dossier.cpv if c]
    codes += [lot.cpv for lot in dossier.lots if lot.cpv]
    return [c.replace("-", "")[:8] for c in codes]


def matching_prefix(clause: ClauseTemplate, codes: Iterable[str]) -> tuple[str, str] | None:
    """(prefix, code) of the longest clause prefix matching one of the codes."""
    best: tuple[str, str] | None = None
    for code in codes:
        for prefix in clause.cpv_prefixes:
            if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, code)
    return best


def prefill_context(dossier: Dossier, sizing: InsertionSizing | None = None, taken_over_share: Decimal | float = 0) -> dict[str, Any]:
    """The dossier values a clause variable may ask for by its ``prefill`` key."""
    context: dict[str, Any] = {
        "amount_eur": dossier.amount_eur or None,
        "duration_months": dossier.duration_months,
        "lot_count": len(dossier.lots) or None,
        "allotment_decision": "allotissement" if len(dossier.lots) >= 2 else "marché global",
        "title": dossier.title,
        "launch_date": dossier.launch_date,
        "taken_over_percent": Decimal(str(taken_over_share)) * 100,
    }
    if sizing is not None and sizing.lines:
        first = sizing.lines[0]
        context.update(
            insertion_hours=sizing.total_hours,
            hourly_cost=first.hourly_cost,
            insertion_rate_percent=first.rate * 100,
            labour_share_percent=first.labour_share * 100,
        )
    return context


def lot_contexts(dossier: Dossier, sizing: InsertionSizing | None, context: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """(lot index, label, context) for each lot: the lot's amount and its own sizing line.

    Empty without lots, or when the sizing was not made lot by lot."""
    if not dossier.lots or sizing is None or len(sizing.lines) != len(dossier.lots):
        return []
    found = []
    for index, (lot, line) in enumerate(zip(dossier.lots, sizing.lines, strict=True)):
        lot_context = dict(context)
        lot_context.update(
            amount_eur=lot.amount_eur or None,
            insertion_hours=line.hours,
            hourly_cost=line.hourly_cost,
            insertion_rate_percent=line.rate * 100,
            labour_share_percent=line.labour_share * 100,
            taken_over_percent=line.taken_over_share * 100,
        )
        found.append((index, f"Lot {index + 1} : {lot.title}", lot_context))
    return found


def sized_per_lot(clause: ClauseTemplate) -> bool:
    return any(variable.prefill in PER_LOT_PREFILLS for variable in clause.variables)


def _lot_variables(clause: ClauseTemplate, lots: list[tuple[int, str, dict[str, Any]]]) -> tuple[LotVariables, ...]:
    if not sized_per_lot(clause):
        return ()
    return tuple(LotVariables(index, label, prefilled_values(clause, ctx)) for index, label, ctx in lots)


def prefilled_values(clause: ClauseTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """Defaults, with the dossier's values where the clause asks for them and they fit."""
    values = dict(clause.defaults())
    for variable in clause.variables:
        if not variable.prefill:
            continue
        value = context.get(variable.prefill)
        if value is None:
            continue
        if variable.choice_for:
            # the dossier gives keys (AGEC category ids from its CPV codes): the first one the clause knows
            keys = value if isinstance(value, list | tuple) else [value]
            mapping = dict(variable.choice_for)
            value = next((mapping[k] for k in keys if k in mapping), None)
            if value is None:
                continue
        try:
            values[variable.name] = coerce_value(variable, value)
        except ValidationError:
            continue  # out of bounds for this clause: keep the default, the buyer edits it
    return values


def short_reference(legal_basis: str) -> str:
    """The first article cited ("L2152-7"), for a reason that fits on one line."""
    found = _ARTICLE.search(legal_basis)
    return found.group(0) if found else legal_basis.split(";")[0].strip()


def _obligation_reason(obligation: Obligation) -> str:
    status = STATUS_LABELS[obligation.status].lower()
    suffix = " (à vérifier)" if obligation.to_confirm else ""
    title = obligation.title[:1].lower() + obligation.title[1:]
    return f"{status} : {title}, {short_reference(obligation.legal_basis)}{suffix}"


def suggest_clauses(
    dossier: Dossier,
    assessment: Assessment,
    library: Iterable[ClauseTemplate],
    *,
    sizing: InsertionSizing | None = None,
    lever: LeverDecision | None = None,
    taken_over_share: Decimal | float = 0,
    families: Mapping[str, Any] | None = None,
) -> SuggestionReport:
    """``families``: the CPV families of the rules (cpv_mappings.json), for the clauses that
    apply to one of them and for the AGEC category a clause takes from the CPV codes."""
    facts = dossier_facts(dossier, assessment.procedure.id, families)
    library = [c for c in library if why_not_applicable(c.applies_to, facts) is None]
    codes = dossier_cpv_codes(dossier)
    context = prefill_context(dossier, sizing, taken_over_share)
    if facts.agec_groups:
        context["agec_category"] = list(facts.agec_groups)
    lots = lot_contexts(dossier, sizing, context)
    lever_ids = set(lever.clause_ids) if lever else set()
    scored: dict[str, Suggestion] = {}
    for clause in library:
        match = matching_prefix(clause, codes)
        if clause.cpv_prefixes and match is None:
            continue  # a sector clause for another sector
        score, reasons, answered = 0, [], []
        matched = [o for o in (assessment.by_id(i) for i in answered_obligations(clause)) if o is not None]
        matched.sort(key=lambda o: -STATUS_WEIGHT[o.status])
        for rank, obligation in enumerate(matched):
            weight = STATUS_WEIGHT[obligation.status]
            score += weight if rank == 0 else min(weight, EXTRA_OBLIGATION_WEIGHT)
            if (clause.id in PRIMARY_CLAUSES.get(obligation.id, ()) and obligation.status != ObligationStatus.INFORMATION
                    and not _insertion_unsuited(dossier, assessment, clause)):
                score += PRIMARY_WEIGHT
            reasons.append(_obligation_reason(obligation))
            answered.append(obligation.id)
        if match is not None:
            prefix, _code = match
            score += CPV_WEIGHT + len(prefix)
            what = clause.summary or clause.title.lower()
            reasons.append(f"CPV {prefix} {clause.sector_label} ⇒ {what}".replace("  ", " "))
        if clause.id in lever_ids and lever is not None:
            score += LEVER_WEIGHT
            reasons.append(f"offre locale : {lever.reasons[0]}")
        if score == 0:
            continue
        if _insertion_unsuited(dossier, assessment, clause):
            score = min(score, UNSUITED_INSERTION_SCORE)
            reasons.append("fournitures sans secteur à forte intensité de main-d'œuvre : une clause d'insertion "
                           "en heures s'y prête mal, préférez une autre condition sociale")
        if clause.applies_from and dossier.launch_date and dossier.launch_date < clause.applies_from:
            reasons.append(f"texte applicable à compter du {format_date_long(clause.applies_from)} : possible dès maintenant")
        if clause.to_confirm:
            reasons.append("contient des éléments à vérifier")
        scored[clause.id] = Suggestion(clause, score, tuple(reasons), tuple(answered), prefilled_values(clause, context),
                                       _lot_variables(clause, lots))

    uncovered = []
    for obligation in assessment.mandatory():
        if any(obligation.id in s.obligation_ids for s in scored.values()):
            continue
        candidates = [c for c in library if obligation.id in answered_obligations(c) and c.id not in scored]
        # Prefer a general clause: a sector clause for another sector would read oddly.
        candidates.sort(key=lambda c: (bool(c.cpv_prefixes), c.id))
        if not candidates:
            uncovered.append(obligation)
            continue
        clause = candidates[0]
        scored[clause.id] = Suggestion(
            clause,
            STATUS_WEIGHT[obligation.status],
            (_obligation_reason(obligation), "seule clause de la bibliothèque qui y répond : à adapter"),
            (obligation.id,),
            prefilled_values(clause, context),
            _lot_variables(clause, lots),
        )
    ranked = sorted(scored.values(), key=lambda s: (-s.score, s.clause.family, s.clause.title))
    return SuggestionReport(tuple(ranked), tuple(uncovered))


# Clauses that are alternatives to one another: a buyer who chose nothing yet
# gets only the best ranked of each group in a document (one reservation, not
# three; one environmental award criterion; the insertion clause or the general
# social condition).
ALTERNATIVES = {
    "insertion-heures": "condition-sociale-principale",
    "clause-sociale-generale-services": "condition-sociale-principale",
}


def exclusive_group(clause: ClauseTemplate) -> str | None:
    """The group of alternatives the clause belongs to, or None when it combines with any other."""
    if clause.kind == "reservation":
        return "reservation"
    if clause.kind == "critere-attribution" and "env-award-criterion" in answered_obligations(clause):
        return "critere-environnemental"
    return ALTERNATIVES.get(clause.id)


def _reservation_advised(suggestion: Suggestion) -> bool:
    """Reserving a contract is the buyer's decision (L2113-12 to -15 say "peut"): by default only
    when the rules recommend it or the local supply's advice (the lever) asks for it, not when it is
    merely "à envisager" (the indicators then counted a reserved contract for nearly every dossier)."""
    return any(reason.startswith(("obligatoire", "recommandé", "offre locale")) for reason in suggestion.reasons)


def default_selection(report: SuggestionReport) -> list[Suggestion]:
    """The suggestions a document holds when the buyer chose no clause (a DOSSIER.json):
    in rank order, keeping only the best of each group of alternatives, and a reservation only
    when it is advised."""
    taken: set[str] = set()
    kept = []
    for suggestion in report.suggestions:
        if suggestion.clause.kind == "reservation" and not _reservation_advised(suggestion):
            continue
        group = exclusive_group(suggestion.clause)
        if group is not None:
            if group in taken:
                continue
            taken.add(group)
        kept.append(suggestion)
    return kept


def _insertion_unsuited(dossier: Dossier, assessment: Assessment, clause: ClauseTemplate) -> bool:
    """An insertion clause for a supply the rules did not find labour-intensive."""
    is_insertion = "insertion-clause" in answered_obligations(clause) or sized_per_lot(clause)
    return is_insertion and dossier.nature == Nature.FOURNITURES and assessment.by_id("insertion-clause") is None


def clauses_answering(
    library: Iterable[ClauseTemplate], obligation_id: str, dossier: Dossier | None = None
) -> list[ClauseTemplate]:
    """The clauses that answer an obligation (for the checklist's links): the clause written
    for it first, then general ones; with a dossier, sector clauses only for its CPV codes."""
    codes = dossier_cpv_codes(dossier) if dossier is not None else None
    primary = PRIMARY_CLAUSES.get(obligation_id, ())
    found = [
        c for c in library
        if obligation_id in answered_obligations(c)
        and (codes is None or not c.cpv_prefixes or matching_prefix(c, codes) is not None)
    ]
    return sorted(found, key=lambda c: (c.id not in primary, bool(c.cpv_prefixes), c.title))
