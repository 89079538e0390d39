"""The JSON form of a clause template (shipped files, user clauses, packs): parsing with
a French message naming the field at fault, and writing back.

Checking the wording itself (syntax, names, sandbox) is domain.clauses.validate_clause.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from achatsdesk.domain.applicability import applicability_from_dict, applicability_to_dict
from achatsdesk.domain.clauses import (
    CLAUSE_ID,
    DOCUMENTS,
    FAMILY_LABELS,
    KIND_LABELS,
    VARIABLE_NAME,
    VARIABLE_TYPES,
    ClauseTemplate,
    ClauseVariable,
    coerce_value,
)
from achatsdesk.domain.eforms import read_tags
from achatsdesk.domain.obligations import OBLIGATION_IDS
from achatsdesk.errors import ValidationError


def clause_from_dict(data: Any, origin: str = "", *, stored: bool = False) -> ClauseTemplate:
    """Build and check a template from its JSON form; French ValidationError naming the field.

    ``stored``: a clause the database already holds; unknown eForms codes are left out
    (domain/eforms.read_tags) instead of refusing it.
    """
    where = f" ({origin})" if origin else ""
    if not isinstance(data, dict):
        raise ValidationError(f"La clause{where} doit être un objet JSON.")

    def field_text(key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ValidationError(f"Le champ « {key} » de la clause{where} est obligatoire.")
            return ""
        if not isinstance(value, str):
            raise ValidationError(f"Le champ « {key} » de la clause{where} doit être un texte.")
        return value.strip() if key != "body" else value

    clause_id = field_text("id")
    if not CLAUSE_ID.match(clause_id):
        raise ValidationError(
            f"Identifiant de clause « {clause_id} »{where} invalide : lettres minuscules, chiffres et tirets seulement."
        )
    family, kind, document = field_text("family"), field_text("kind"), field_text("document")
    if family not in FAMILY_LABELS:
        raise ValidationError(f"Famille « {family} » inconnue pour la clause « {clause_id} ».")
    if kind not in KIND_LABELS:
        raise ValidationError(f"Nature « {kind} » inconnue pour la clause « {clause_id} ».")
    if document not in DOCUMENTS:
        raise ValidationError(
            f"Document « {document} » inconnu pour la clause « {clause_id} » : RC, CCAP, CCTP ou AAPC."
        )
    obligations = tuple(_string_list(data.get("obligations"), "obligations", clause_id))
    unknown = [o for o in obligations if o not in OBLIGATION_IDS]
    if unknown:
        raise ValidationError(f"Obligation « {unknown[0]} » inconnue dans la clause « {clause_id} ».")
    raw_variables = data.get("variables") or []
    if not isinstance(raw_variables, list):
        raise ValidationError(f"Le champ « variables » de la clause « {clause_id} » doit être une liste de variables.")
    variables = tuple(_variable_from_dict(v, clause_id) for v in raw_variables)
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        raise ValidationError(f"La clause « {clause_id} » déclare deux fois la même variable.")
    eforms = read_tags(data.get("eforms"), clause_id, lenient=stored)
    return ClauseTemplate(
        id=clause_id,
        title=field_text("title"),
        family=family,
        kind=kind,
        document=document,
        legal_basis=field_text("legal_basis"),
        applies_from=_parse_date(data.get("applies_from"), "applies_from", clause_id),
        body=field_text("body"),
        version=field_text("version"),
        summary=field_text("summary", required=False),
        sectors=tuple(_string_list(data.get("sectors"), "sectors", clause_id)),
        cpv_prefixes=tuple(_string_list(data.get("cpv_prefixes"), "cpv_prefixes", clause_id)),
        sector_label=field_text("sector_label", required=False),
        obligations=obligations,
        variables=variables,
        eforms=eforms,
        to_confirm=tuple(_string_list(data.get("to_confirm"), "to_confirm", clause_id)),
        applies_to=applicability_from_dict(data.get("applies_to"), clause_id),
        editor_note=field_text("editor_note", required=False),
        source=str(data.get("source") or "livrée"),
        based_on=data.get("based_on") or None,
    )


def clause_to_dict(clause: ClauseTemplate) -> dict[str, Any]:
    return {
        "id": clause.id,
        "title": clause.title,
        "family": clause.family,
        "kind": clause.kind,
        "document": clause.document,
        "legal_basis": clause.legal_basis,
        "applies_from": clause.applies_from.isoformat() if clause.applies_from else None,
        "summary": clause.summary,
        "sectors": list(clause.sectors),
        "cpv_prefixes": list(clause.cpv_prefixes),
        "sector_label": clause.sector_label,
        "obligations": list(clause.obligations),
        "variables": [_variable_to_dict(v) for v in clause.variables],
        "body": clause.body,
        "version": clause.version,
        "eforms": dict(clause.eforms),
        "to_confirm": list(clause.to_confirm),
        **({"applies_to": applicability_to_dict(clause.applies_to)} if not clause.applies_to.is_everywhere else {}),
        **({"editor_note": clause.editor_note} if clause.editor_note else {}),
        "source": clause.source,
        "based_on": clause.based_on,
    }


def _variable_from_dict(data: Any, clause_id: str) -> ClauseVariable:
    if not isinstance(data, dict):
        raise ValidationError(f"Une variable de la clause « {clause_id} » n'est pas un objet.")
    name = str(data.get("name") or "")
    if not VARIABLE_NAME.match(name):
        raise ValidationError(f"Nom de variable « {name} » invalide dans la clause « {clause_id} ».")
    kind = data.get("type")
    if kind not in VARIABLE_TYPES:
        raise ValidationError(
            f"Type « {kind} » inconnu pour la variable « {name} » de la clause « {clause_id} »."
        )
    label = str(data.get("label") or "").strip()
    if not label:
        raise ValidationError(f"La variable « {name} » de la clause « {clause_id} » n'a pas de libellé.")
    raw_choices = data.get("choices") or []
    if not isinstance(raw_choices, list):
        raise ValidationError(f"Le champ « choices » de la variable « {name} » de « {clause_id} » doit être une liste.")
    choices = tuple(str(c) for c in raw_choices)
    if kind == "choice" and not choices:
        raise ValidationError(f"La variable à choix « {name} » de la clause « {clause_id} » n'a aucun choix.")
    variable = ClauseVariable(
        name=name,
        label=label,
        type=kind,
        default=None,
        minimum=_decimal_or_none(data.get("min"), name, clause_id),
        maximum=_decimal_or_none(data.get("max"), name, clause_id),
        required=bool(data.get("required", True)),
        choices=choices,
        prefill=data.get("prefill") or None,
        help=str(data.get("help") or ""),
        to_write=bool(data.get("to_write", False)),
        examples=tuple(_string_list(data.get("examples"), f"variables.{name}.examples", clause_id)),
        choice_for=_choice_for(data.get("choice_for"), name, clause_id, choices),
    )
    default = data.get("default")
    if default is not None:
        default = coerce_value(variable, default)
    return ClauseVariable(**{**variable.__dict__, "default": default})


def _variable_to_dict(v: ClauseVariable) -> dict[str, Any]:
    out: dict[str, Any] = {"name": v.name, "label": v.label, "type": v.type, "required": v.required}
    if v.default is not None:
        out["default"] = _json_value(v.default)
    if v.minimum is not None:
        out["min"] = _json_value(v.minimum)
    if v.maximum is not None:
        out["max"] = _json_value(v.maximum)
    if v.choices:
        out["choices"] = list(v.choices)
    if v.prefill:
        out["prefill"] = v.prefill
    if v.help:
        out["help"] = v.help
    if v.to_write:
        out["to_write"] = True
    if v.examples:
        out["examples"] = list(v.examples)
    if v.choice_for:
        out["choice_for"] = dict(v.choice_for)
    return out


def _choice_for(value: Any, name: str, clause_id: str, choices: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(k, str) and v in choices for k, v in value.items()):
        raise ValidationError(
            f"« choice_for » de la variable « {name} » de « {clause_id} » doit associer des clés à des choix de la variable."
        )
    return tuple(value.items())


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _string_list(value: Any, key: str, clause_id: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"Le champ « {key} » de la clause « {clause_id} » doit être une liste de textes.")
    return [v.strip() for v in value]


def _decimal_or_none(value: Any, name: str, clause_id: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > Decimal("1e15"):
        raise ValidationError(
            f"Borne (« min » ou « max ») « {str(value)[:40]} » invalide pour la variable « {name} » de « {clause_id} » : "
            "un nombre est attendu."
        ) from None
    return number


def _parse_date(value: Any, key: str, clause_id: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(f"Date « {value} » invalide pour « {key} » de la clause « {clause_id} » (AAAA-MM-JJ).") from None
