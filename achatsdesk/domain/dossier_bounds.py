"""Bounds and types of a dossier's JSON form, checked before it is built (exchange files,
``dossier create --from``): counts, lengths, amounts and durations within
domain/input_limits.py, and the types an export relies on later (a clause's
``lot`` that is not a lot number once broke every export of its dossier).

Returns the French reason naming the field, or None.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.input_limits import (
    MAX_AMOUNT_EUR,
    MAX_CLAUSES,
    MAX_CPV_CODES,
    MAX_DURATION_MONTHS,
    MAX_LOTS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)


def _amount_problem(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return f"le champ « {field} » doit être un montant en euros (reçu {type(value).__name__})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"le champ « {field} » n'est pas un montant ({value})"
    if isinstance(value, str) and len(value) > 40:
        return f"le champ « {field} » n'est pas un montant lisible"
    try:
        amount = Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None  # the dossier's own reader says what is wrong with the text
    if not amount.is_finite() or not (0 <= amount <= MAX_AMOUNT_EUR):
        return (f"le champ « {field} » doit être un montant entre 0 et {format_number(MAX_AMOUNT_EUR)} € "
                f"(reçu {str(value)[:40]})")
    return None


def _list_problem(data: dict, key: str, limit: int, what: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str) and key == "cpv":
        return None
    if not isinstance(value, list):
        return f"le champ « {key} » doit être une liste (reçu {type(value).__name__})"
    if len(value) > limit:
        return f"le dossier a {format_number(len(value))} {what} ; au plus {format_number(limit)} sont acceptés"
    return None


def _text_problem(value: Any, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return f"le champ « {field} » doit être un texte (reçu {type(value).__name__})"
    if isinstance(value, str) and len(value) > limit:
        return f"le champ « {field} » dépasse {format_number(limit)} caractères ({format_number(len(value))})"
    return None


def dossier_bounds_problem(data: dict) -> str | None:
    """The first reason to refuse this dossier dictionary, in French, naming the field; None when it is fine."""
    checks = [
        _text_problem(data.get("title"), "title", MAX_TITLE_CHARS),
        _text_problem(data.get("reference"), "reference", MAX_TITLE_CHARS),
        _text_problem(data.get("description"), "description", MAX_TEXT_CHARS),
        _list_problem(data, "lots", MAX_LOTS, "lots"),
        _list_problem(data, "cpv", MAX_CPV_CODES, "codes CPV"),
        _list_problem(data, "clauses", MAX_CLAUSES, "clauses"),
        _list_problem(data, "reviews", MAX_CLAUSES, "décisions de relecture"),
        _amount_problem(data.get("estimated_amount_eur"), "estimated_amount_eur"),
    ]
    buyer = data.get("buyer")
    if isinstance(buyer, dict):
        checks.append(_amount_problem(buyer.get("annual_purchases_eur"), "buyer.annual_purchases_eur"))
        checks.append(_text_problem(buyer.get("name"), "buyer.name", MAX_TITLE_CHARS))
    duration = data.get("duration_months")
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, (int, float, str)):
            checks.append(f"le champ « duration_months » doit être un nombre de mois (reçu {type(duration).__name__})")
        elif isinstance(duration, (int, float)) and not (
            (not isinstance(duration, float) or math.isfinite(duration)) and 0 <= duration <= MAX_DURATION_MONTHS
        ):
            checks.append(f"le champ « duration_months » doit être compris entre 0 et {MAX_DURATION_MONTHS} mois "
                          f"(reçu {str(duration)[:40]})")
    checks.extend(_lots_problems(data.get("lots")))
    checks.extend(_clauses_problems(data.get("clauses"), data.get("lots")))
    checklist = data.get("checklist")
    if checklist is not None and not isinstance(checklist, dict):
        checks.append(f"le champ « checklist » doit être un objet (reçu {type(checklist).__name__})")
    return next((problem for problem in checks if problem), None)


def _lots_problems(lots: Any) -> list[str | None]:
    if not isinstance(lots, list):
        return []
    found: list[str | None] = []
    for index, lot in enumerate(lots[:MAX_LOTS], start=1):
        if not isinstance(lot, dict):
            found.append(f"le lot n° {index} doit être un objet")
            continue
        found.append(_text_problem(lot.get("title"), f"lots[{index}].title", MAX_TITLE_CHARS))
        found.append(_amount_problem(lot.get("amount_eur"), f"lots[{index}].amount_eur"))
        cpv = lot.get("cpv")
        if cpv is not None and not isinstance(cpv, str):
            found.append(f"le champ « lots[{index}].cpv » doit être un code CPV (texte)")
    return found


def _clauses_problems(clauses: Any, lots: Any) -> list[str | None]:
    if not isinstance(clauses, list):
        return []
    lot_count = len(lots) if isinstance(lots, list) else 0
    found: list[str | None] = []
    for index, clause in enumerate(clauses[:MAX_CLAUSES], start=1):
        if not isinstance(clause, dict):
            found.append(f"la clause n° {index} doit être un objet")
            continue
        where = f"clauses[{index}]"
        if not isinstance(clause.get("clause_id"), str):
            found.append(f"le champ « {where}.clause_id » doit être l'identifiant d'une clause (texte)")
        lot = clause.get("lot")
        if lot is not None and (isinstance(lot, bool) or not isinstance(lot, int) or not 0 <= lot < lot_count):
            found.append(f"le champ « {where}.lot » doit être le numéro d'un lot du dossier (reçu {str(lot)[:40]})")
        variables = clause.get("variables")
        if variables is not None and not isinstance(variables, dict):
            found.append(f"le champ « {where}.variables » doit être un objet (reçu {type(variables).__name__})")
        elif isinstance(variables, dict):
            for name, value in variables.items():
                if isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) > MAX_TEXT_CHARS):
                    found.append(f"la variable « {where}.variables.{name} » doit être une valeur simple et courte")
                    break
    return found
