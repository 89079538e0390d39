"""Strict reading of a JSON dossier: resources/schemas/dossier.schema.json, checked with jsonschema.

An unknown key, a wrong type or an impossible value is refused with a French
message naming the path the buyer can find in the file (``lots[1].estimated_amount_eur``,
lots counted from 1 as in the window) and, for an unknown key, the keys expected
there. Before this check a lot written ``{"estimated_amount_eur": 3000000}`` was
silently read as a 0 € lot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from achatsdesk.domain.plural import count_of
from achatsdesk.errors import ReferenceDataError, ValidationError
from achatsdesk.paths import resources_dir

if TYPE_CHECKING:  # jsonschema is imported on first use: start-up does not pay for it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

_TYPE_NAMES = {
    "object": "un objet {…}",
    "array": "une liste […]",
    "string": "un texte",
    "number": "un nombre",
    "integer": "un nombre entier",
    "boolean": "true ou false",
    "null": "null",
}


@lru_cache(maxsize=1)
def dossier_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    path = resources_dir() / "schemas" / "dossier.schema.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as exc:
        raise ReferenceDataError(
            "Le schéma des dossiers livré avec achatsdesk est illisible.",
            hint="Réinstallez achatsdesk ou restaurez le fichier « resources/schemas/dossier.schema.json ».",
            detail=repr(exc),
        ) from exc
    return Draft202012Validator(schema)


def json_path(parts: Iterable[Any]) -> str:
    """ ["lots", 0, "amount_eur"] -> "lots[1].amount_eur" (list positions counted from 1)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(racine du dossier)"


def _shown(value: Any) -> str:
    text = str(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f"« {text} »"


def _types(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    if "integer" in names and "number" in names:
        names.remove("integer")
    return " ou ".join(_TYPE_NAMES.get(n, n) for n in names if n != "null")


def _message(error: SchemaError) -> str:
    path = json_path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    what = schema.get("title")
    if error.validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in allowed]
        prefix = "" if path == "(racine du dossier)" else path
        key = f"{prefix}.{unknown[0]}" if prefix else unknown[0]
        place = f" pour {what}" if what else ""
        return (f"Clé « {key} » inconnue : clés possibles{place} : {', '.join(allowed)}. "
                "Corrigez le nom de la clé (une clé inconnue n'est jamais lue, son contenu serait perdu).")
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return f"Le champ « {json_path([*error.absolute_path, missing[0]])} » est obligatoire."
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value if v is not None)
        return f"Valeur {_shown(error.instance)} invalide pour « {path} » : valeurs possibles {allowed}."
    if error.validator == "type":
        return f"Le champ « {path} » doit être {_types(error.validator_value)} (reçu {_shown(error.instance)})."
    if error.validator == "minimum":
        return f"Le champ « {path} » ne peut pas être négatif (reçu {_shown(error.instance)})."
    if error.validator == "anyOf":
        # The alternative the value was meant for is the one that failed on something else than its type.
        precise = [e for e in error.context or () if e.validator != "type"]
        if precise:
            return _message(max(precise, key=lambda e: len(e.absolute_path)))
        expected = " ou ".join(_types(s.get("type", "")) if "type" in s else (s.get("description") or s.get("title"))
                               for s in _resolved(error))
        return f"Valeur {_shown(error.instance)} invalide pour « {path} » : il faut {expected}."
    if error.validator == "pattern":
        expected = schema.get("description") or schema.get("title") or "une autre forme"
        return f"Valeur {_shown(error.instance)} invalide pour « {path} » : il faut {expected}."
    if error.validator == "uniqueItems":
        return f"La liste « {path} » contient deux fois la même valeur."
    return f"Valeur {_shown(error.instance)} invalide pour « {path} »."


def _resolved(error: SchemaError) -> list[dict]:
    """The alternatives of an anyOf, with their $ref followed (to print what each expects)."""
    resolver = dossier_validator()
    out = []
    for sub in error.validator_value:
        if "$ref" in sub:
            ref = sub["$ref"].removeprefix("#/")
            target: Any = resolver.schema
            for part in ref.split("/"):
                target = target[part]
            out.append(target)
        elif sub.get("type") != "null":
            out.append(sub)
    return out


def validate_dossier_data(data: Any) -> None:
    """French ValidationError for the first problem of the file (in file order); None when it is valid."""
    if not isinstance(data, dict):
        raise ValidationError("Le dossier doit être un objet JSON ({…}).")
    errors = sorted(dossier_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        others = len(errors) - 1
        more = f" ({count_of(others, 'autre erreur', 'autres erreurs')} dans le fichier.)" if others else ""
        raise ValidationError(_message(first) + more, hint="Rien n'a été enregistré. Corrigez le fichier puis réessayez.")
