"""Conditions of the rules files (obligations.json, checklist.json): small JSON trees a jurist can read.

``{"all": [...]}``, ``{"any": [...]}``, ``{"not": ...}`` and ``{"fact": NAME, OP: VALUE}`` with OP
one of eq, in, gte, gt, lt, lte; dates compare as ISO strings. Facts are computed from the
dossier by domain/rules.py (``compute_facts``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from achatsdesk.errors import ReferenceDataError

# Every fact a condition may name (computed by compute_facts); a rule naming another one is
# refused at load time with a French message, never a KeyError while a buyer works.
KNOWN_FACTS = frozenset({
    "launch_date", "amount_eur", "nature", "buyer_kind", "contract_kind", "procedure", "reaches_eu",
    "annual_purchases_eur", "reaches_spaser", "labour_intensive", "catering", "agec", "agec_included",
    "ess_reservable", "ssas", "pouvoir_adjudicateur", "prison_work_fits", "lots_count",
})
OPERATORS = ("eq", "in", "gte", "gt", "lt", "lte")


def condition_problems(condition: Any, where: str) -> list[str]:
    """French descriptions of what is wrong in a condition tree (unknown fact, unknown operator)."""
    if condition is None:
        return []
    if not isinstance(condition, dict):
        return [f"{where} : condition illisible ({condition!r})"]
    for group in ("all", "any"):
        if group in condition:
            return [p for c in condition[group] for p in condition_problems(c, where)]
    if "not" in condition:
        return condition_problems(condition["not"], where)
    fact = condition.get("fact")
    if fact not in KNOWN_FACTS:
        return [f"{where} : fait « {fact} » inconnu (faits possibles : {', '.join(sorted(KNOWN_FACTS))})"]
    if not any(op in condition for op in OPERATORS):
        return [f"{where} : comparaison manquante pour le fait « {fact} » ({', '.join(OPERATORS)})"]
    return []


def _compare(actual: Any, expected: Any) -> tuple[Any, Any]:
    if isinstance(actual, date) and isinstance(expected, str):
        return actual, date.fromisoformat(expected)
    return actual, expected


def condition_holds(condition: Any, facts: dict[str, Any]) -> bool:
    if condition is None:
        return True
    if "all" in condition:
        return all(condition_holds(c, facts) for c in condition["all"])
    if "any" in condition:
        return any(condition_holds(c, facts) for c in condition["any"])
    if "not" in condition:
        return not condition_holds(condition["not"], facts)
    name = condition.get("fact")
    if name not in facts:
        raise ReferenceDataError(f"Condition de règle sur un fait inconnu « {name} ».",
                                 hint="Restaurez les règles d'origine (resources/rules/obligations.json).")
    actual = facts[name]
    if "in" in condition:
        return actual in condition["in"]
    for op in ("eq", "gte", "gt", "lt", "lte"):
        if op in condition:
            a, e = _compare(actual, condition[op])
            return {"eq": a == e, "gte": a >= e, "gt": a > e, "lt": a < e, "lte": a <= e}[op]
    raise ReferenceDataError(f"Condition de règle incomprise : {condition!r}.", hint="Restaurez les règles d'origine.")
