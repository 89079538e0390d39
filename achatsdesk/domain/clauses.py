"""Clause templates: their shape, typed variables, validation and sandboxed rendering.

A clause is data (one JSON file in resources/clauses, or a user clause kept in
the database). Its body is a Jinja2 template rendered in a SandboxedEnvironment
with StrictUndefined, so a missing variable is an error rather than a blank,
and a template can never reach Python internals. Values are checked against
their declared type and bounds before rendering, with a French message that
names the variable at fault.

Percent variables hold a number of percent (5 means 5 %); money variables hold
euros HT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from achatsdesk.domain.applicability import Applicability
from achatsdesk.domain.clause_sandbox import (  # noqa: F401  (re-exported: the clause API in one place)
    ALLOWED_FILTERS,
    MAX_BODY_CHARS,
    MAX_NUMBER_BITS,
    MAX_RENDERED_CHARS,
    MAX_SEQUENCE_CHARS,
    MAX_TEXT_VALUE_CHARS,
    ClauseEnvironment,
    ClauseTooLarge,
    check_body,
    compile_body,
    make_environment,
    render_pieces,
)
from achatsdesk.domain.eforms import STRATEGIC_PROCUREMENT
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.template_errors import french_syntax_message
from achatsdesk.errors import ValidationError

VARIABLE_TYPES = ("integer", "decimal", "percent", "money", "text", "choice", "date")
DOCUMENTS = ("RC", "CCAP", "CCTP", "AAPC")

FAMILY_LABELS = {
    "condition-sociale": "Condition d'exécution sociale",
    "critere-social": "Critère d'attribution social",
    "reservation": "Marché réservé",
    "specification-environnementale": "Spécification technique environnementale",
    "critere-environnemental": "Critère d'attribution environnemental",
    "condition-environnementale": "Condition d'exécution environnementale",
    "sectorielle": "Clause sectorielle",
    "organisation": "Organisation de la consultation",
}

KIND_LABELS = {
    "condition-execution": "Condition d'exécution",
    "critere-attribution": "Critère d'attribution",
    "specification-technique": "Spécification technique",
    "reservation": "Réservation",
    "mention": "Mention de la consultation",
}

# Which kinds of clause can answer each obligation. The law asks for an
# execution condition (L2112-2, L2112-2-1) or an award criterion (L2152-7)
# specifically: an award criterion on insertion is no social execution
# condition, and a CCTP specification is no execution condition.
OBLIGATION_KINDS: dict[str, tuple[str, ...]] = {
    "procedure": ("mention",),
    "env-execution-condition": ("condition-execution",),
    "env-award-criterion": ("critere-attribution",),
    "social-execution-condition": ("condition-execution",),
    "insertion-clause": ("condition-execution",),
    "reserved-contract": ("reservation",),
    "agec-reuse-recycled": ("specification-technique", "condition-execution"),
    "egalim": ("specification-technique", "condition-execution"),
    "spaser": ("condition-execution", "mention"),
    "labels": ("specification-technique", "critere-attribution", "condition-execution"),  # R2111-12
    "lots": ("mention", "reservation"),
}
_SOCIAL_FAMILIES = frozenset({"condition-sociale", "critere-social", "reservation"})
_ENVIRONMENTAL_FAMILIES = frozenset({"condition-environnementale", "critere-environnemental", "specification-environnementale"})
# An environmental obligation is not answered by a social clause, nor the reverse
# (sector clauses and organisation clauses may be either: their kind decides).
OBLIGATION_FORBIDDEN_FAMILIES: dict[str, frozenset[str]] = {
    "env-execution-condition": _SOCIAL_FAMILIES,
    "env-award-criterion": _SOCIAL_FAMILIES,
    "social-execution-condition": _ENVIRONMENTAL_FAMILIES,
    "insertion-clause": _ENVIRONMENTAL_FAMILIES,
    "reserved-contract": _ENVIRONMENTAL_FAMILIES,
}
OBLIGATION_KIND_PHRASES = {
    "condition-execution": "une condition d'exécution",
    "critere-attribution": "un critère d'attribution",
    "specification-technique": "une spécification technique",
    "reservation": "une réservation",
    "mention": "une mention de la consultation",
}


def obligation_misfit(kind: str, family: str, obligation_id: str) -> str | None:
    """Why a clause of this kind and family cannot answer the obligation (French), or None when it can."""
    kinds = OBLIGATION_KINDS.get(obligation_id)
    if kinds is not None and kind not in kinds:
        wanted = " ou ".join(OBLIGATION_KIND_PHRASES.get(k, k) for k in kinds)
        return f"l'obligation « {obligation_id} » demande {wanted}, pas {OBLIGATION_KIND_PHRASES.get(kind, kind)}"
    if family in OBLIGATION_FORBIDDEN_FAMILIES.get(obligation_id, ()):
        return f"l'obligation « {obligation_id} » ne peut pas être remplie par une clause de la famille « {FAMILY_LABELS.get(family, family)} »"
    return None


def answered_obligations(clause: ClauseTemplate) -> tuple[str, ...]:
    """The obligations the clause claims and can really answer (a stored user clause may claim more)."""
    return tuple(o for o in clause.obligations if obligation_misfit(clause.kind, clause.family, o) is None)


# BT-06 strategic procurement; the eForms code lists live in domain/eforms.py.
EFORMS_BT06 = tuple(STRATEGIC_PROCUREMENT)

CLAUSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TO_WRITE_MARK = "[À RÉDIGER PAR L'ACHETEUR : {label}]"


@dataclass(frozen=True)
class ClauseVariable:
    name: str
    label: str
    type: str
    default: Any = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    required: bool = True
    choices: tuple[str, ...] = ()
    prefill: str | None = None  # key of the dossier context that fills it (see domain/suggestions.py)
    help: str = ""
    # A text only the buyer can write (the reason for not dividing into lots, L2113-11):
    # no stock default; until written, the documents show TO_WRITE_MARK and list it.
    to_write: bool = False
    examples: tuple[str, ...] = ()  # shown to the buyer as examples, never printed
    # For a choice filled from the dossier: (context value, choice), e.g. an AGEC category id to its label.
    choice_for: tuple[tuple[str, str], ...] = ()

    def placeholder(self) -> str:
        return TO_WRITE_MARK.format(label=self.label[:1].lower() + self.label[1:])


@dataclass(frozen=True)
class ClauseTemplate:
    id: str
    title: str
    family: str
    kind: str
    document: str
    legal_basis: str
    applies_from: date | None
    body: str
    version: str
    summary: str = ""  # a short phrase for the reasons: "produits d'entretien écolabellisés"
    sectors: tuple[str, ...] = ()  # Marché de l'inclusion sector slugs
    cpv_prefixes: tuple[str, ...] = ()
    sector_label: str = ""  # how the reasons name the matched CPV: "nettoyage"
    obligations: tuple[str, ...] = ()
    variables: tuple[ClauseVariable, ...] = ()
    eforms: dict[str, Any] = field(default_factory=dict)
    to_confirm: tuple[str, ...] = ()  # facts not read in a primary text, shown "à vérifier"
    applies_to: Applicability = Applicability()  # where the clause fits (domain/applicability.py)
    editor_note: str = ""  # advice to the buyer, shown in the editor, never printed in a document
    source: str = "livrée"  # livrée | utilisateur
    based_on: str | None = None  # for a user copy of a shipped clause

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(self.family, self.family)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def read_only(self) -> bool:
        return self.source == "livrée"

    def variable(self, name: str) -> ClauseVariable | None:
        return next((v for v in self.variables if v.name == name), None)

    def variable_by_label(self, label: str) -> ClauseVariable:
        return next(v for v in self.variables if v.label == label)

    def defaults(self) -> dict[str, Any]:
        return {v.name: v.default for v in self.variables if v.default is not None}


# --- values -------------------------------------------------------------


def _named(variable: ClauseVariable) -> str:
    return f"« {variable.name} » ({variable.label})"


def coerce_value(variable: ClauseVariable, value: Any) -> Any:
    """The value in its type (text from the CLI or a form accepted), bounds checked."""
    kind = variable.type
    if kind in ("integer", "decimal", "percent", "money"):
        if isinstance(value, bool):
            raise ValidationError(f"La variable {_named(variable)} attend un nombre.")
        raw = value
        if isinstance(value, str):
            raw = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
            raw = raw.removesuffix("€").removesuffix("%")
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError(
                f"La variable {_named(variable)} attend un nombre (reçu « {value} »)."
            ) from None
        if not number.is_finite():
            raise ValidationError(f"La variable {_named(variable)} attend un nombre fini.")
        if kind == "integer":
            if number != number.to_integral_value():
                raise ValidationError(f"La variable {_named(variable)} attend un nombre entier (reçu « {value} »).")
            number = Decimal(int(number))
        _check_bounds(variable, number)
        return int(number) if kind == "integer" else number
    if kind == "date":
        if isinstance(value, date):
            return value
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(str(value).strip(), pattern).date()
            except ValueError:
                continue
        raise ValidationError(
            f"La variable {_named(variable)} attend une date JJ/MM/AAAA (reçu « {value} »)."
        )
    text = str(value).strip()
    if kind == "choice" and text not in variable.choices:
        allowed = ", ".join(f"« {c} »" for c in variable.choices)
        raise ValidationError(f"La variable {_named(variable)} doit valoir l'un de : {allowed} (reçu « {text} »).")
    if kind == "text":
        if len(text) > MAX_TEXT_VALUE_CHARS:
            raise ValidationError(
                f"La variable {_named(variable)} dépasse {format_number(MAX_TEXT_VALUE_CHARS)} caractères : raccourcissez-la."
            )
        if variable.maximum is not None and len(text) > variable.maximum:
            raise ValidationError(
                f"La variable {_named(variable)} dépasse {variable.maximum} caractères : raccourcissez-la."
            )
    return text


def _check_bounds(variable: ClauseVariable, number: Decimal) -> None:
    low, high = variable.minimum, variable.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        span = (
            f"comprise entre {format_number(low, _places(low))} et {format_number(high, _places(high))}"
            if low is not None and high is not None
            else (f"au moins égale à {format_number(low, _places(low))}" if low is not None else f"au plus égale à {format_number(high, _places(high))}")
        )
        raise ValidationError(
            f"La variable {_named(variable)} doit être {span} (reçu {format_number(number, _places(number))})."
        )


def _places(number: Decimal | None) -> int:
    if number is None or number == number.to_integral_value():
        return 0
    return min(4, max(0, -number.normalize().as_tuple().exponent))


def resolve_values(clause: ClauseTemplate, given: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults overlaid with the given values, each coerced and checked.

    Unknown names are refused so that a typo on the command line is not silently ignored.
    """
    given = dict(given or {})
    unknown = [name for name in given if clause.variable(name) is None]
    if unknown:
        names = ", ".join(v.name for v in clause.variables) or "aucune"
        raise ValidationError(
            f"La clause « {clause.id} » n'a pas de variable « {unknown[0]} ». Variables possibles : {names}."
        )
    values: dict[str, Any] = {}
    for variable in clause.variables:
        raw = given.get(variable.name, variable.default)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if variable.to_write:
                values[variable.name] = variable.placeholder()  # visible in the document, listed to check
                continue
            if variable.required:
                raise ValidationError(
                    f"La variable {_named(variable)} est obligatoire : saisissez une valeur."
                )
            values[variable.name] = "" if variable.type in ("text", "choice") else None
            continue
        values[variable.name] = coerce_value(variable, raw)
    return values


def validate_clause(clause: ClauseTemplate) -> None:
    """Syntax, names, sandbox: the body is parsed, checked and trial-rendered with its defaults."""
    _compiled(clause.id, clause.body, frozenset(v.name for v in clause.variables))  # check_body, once
    for obligation_id in clause.obligations:
        misfit = obligation_misfit(clause.kind, clause.family, obligation_id)
        if misfit:
            raise ValidationError(
                f"La clause « {clause.id} » ne peut pas répondre à « {obligation_id} » : {misfit}. "
                "Retirez cette obligation de la clause ou changez sa nature."
            )
    for variable in clause.variables:
        if variable.required and variable.default is None and not variable.to_write:
            raise ValidationError(
                f"La variable {_named(variable)} de la clause « {clause.id} » n'a pas de valeur par défaut."
            )
    render_clause(clause)


def missing_texts(clause: ClauseTemplate, given: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Labels of the texts the buyer still has to write for this clause."""
    given = given or {}
    return tuple(
        v.label for v in clause.variables
        if v.to_write and not str(given.get(v.name) if given.get(v.name) is not None else (v.default or "")).strip()
    )


def render_clause(clause: ClauseTemplate, given: dict[str, Any] | None = None) -> str:
    """The clause's wording with these values (defaults for the others).

    The body is checked again here (a user clause could have been stored by an
    older version) and rendered piece by piece, stopping as soon as the wording
    grows past MAX_RENDERED_CHARS.
    """
    values = resolve_values(clause, given)
    try:
        template = _compiled(clause.id, clause.body, frozenset(v.name for v in clause.variables))
        text = render_pieces(template, values)  # steps, time and size counted during rendering
    except TemplateSyntaxError as exc:
        raise ValidationError(
            f"Le texte de la clause « {clause.id} » contient une erreur de syntaxe ligne {exc.lineno} : {french_syntax_message(exc.message)}."
        ) from None
    except UndefinedError as exc:
        raise ValidationError(
            f"La clause « {clause.id} » ne peut pas être rédigée : {_undefined_name(exc)}. "
            "Renseignez cette variable."
        ) from None
    except ClauseTooLarge as exc:
        raise ValidationError(
            f"La clause « {clause.id} » demande trop de mémoire ou de calcul ({exc}) : elle n'est pas rédigée. "
            f"Une clause rédigée ne peut dépasser {format_number(MAX_RENDERED_CHARS)} caractères ; "
            "corrigez son texte."
        ) from None
    except SecurityError:
        raise ValidationError(
            f"La clause « {clause.id} » tente une opération interdite : elle n'est pas rédigée."
        ) from None
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        raise ValidationError(
            f"La clause « {clause.id} » ne peut pas être rédigée avec ces valeurs ({exc}). Vérifiez les variables."
        ) from None
    return _tidy(text)


@lru_cache(maxsize=512)
def _compiled(clause_id: str, body: str, variable_names: frozenset[str]) -> jinja2.Template:
    """The checked, compiled body (cached: an annex renders the same clauses again and again)."""
    tree = check_body(clause_id, body, set(variable_names))
    return compile_body(body, tree)


def _undefined_name(exc: UndefinedError) -> str:
    found = re.search(r"'([^']+)' is undefined", str(exc))
    return f"la variable « {found.group(1)} » n'est pas définie" if found else "une variable n'est pas définie"


def _tidy(text: str) -> str:
    """Paragraphs separated by one blank line, no trailing spaces."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out)
