"""The sandbox a clause body is rendered in, and the check of a body before it is stored.

Jinja2's SandboxedEnvironment keeps a template away from Python internals; on
top of it, ClauseEnvironment caps what its operators may build and
check_body refuses, before anything is stored, the statements and names a
clause needs not (imports, macros, {% set %}, nested loops, function calls,
attributes). Together they make sure that no body, shipped, typed in the
window or imported from a colleague's pack, can exhaust memory or CPU.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from achatsdesk.domain.formatting import (
    format_date_long,
    format_money,
    format_number,
    format_percent,
)
from achatsdesk.domain.template_errors import french_syntax_message
from achatsdesk.errors import ValidationError


def _money(value: Any, ht: bool = True) -> str:
    return format_money(Decimal(str(value)), ht=ht)


def _percent(value: Any) -> str:
    """A number of percent: 5 -> "5 %"."""
    return format_percent(Decimal(str(value)) / 100)


def _number(value: Any, decimals: int = 0) -> str:
    return format_number(Decimal(str(value)), decimals)


def _hours(value: Any) -> str:
    number = Decimal(str(value))
    return f"{format_number(number)}\u00a0heure{'s' if abs(number) >= 2 else ''}"


def _date(value: Any) -> str:
    return format_date_long(value) if isinstance(value, date) else str(value)


# Resource caps. A clause is a few paragraphs (the longest shipped body is under
# 1 000 characters); these bounds leave ample room and make sure that no body
# (shipped, typed in the window or imported from a pack) can exhaust memory or
# CPU, neither when it is checked nor when it is rendered.
MAX_BODY_CHARS = 20_000
MAX_TEXT_VALUE_CHARS = 4_000  # one text variable's value
MAX_SEQUENCE_CHARS = 10_000  # a string or list built by an operator in the body
MAX_NUMBER_BITS = 4_096  # an integer built by an operator (about 1 200 digits)
MAX_RENDERED_CHARS = 100_000  # the whole rendered wording


# The render budget: counted DURING rendering, so that no body runs long whatever it does.
# A step is one loop iteration, one filter, one operator or one subscript. The shipped
# clauses take a few hundred; 20 000 steps of the costliest kind (a replace over a
# 10 000-character text) stay well under a second. The time limit is the last guard.
MAX_RENDER_STEPS = 20_000
MAX_RENDER_SECONDS = 1.0


class ClauseTooLarge(SecurityError):
    """A body asked for more memory or time than a clause may take."""


class _Budget:
    __slots__ = ("steps", "deadline")

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("clause_render_budget", default=None)


@contextmanager
def render_budget() -> Iterator[None]:
    """Every step taken while rendering inside this block counts against one budget."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _step() -> None:
    budget = _BUDGET.get()
    if budget is None:  # rendered outside render_budget (trial renders at check time count too)
        return
    budget.steps += 1
    if budget.steps > MAX_RENDER_STEPS:
        raise ClauseTooLarge(f"plus de {MAX_RENDER_STEPS} étapes de calcul")
    if budget.steps % 256 == 0 and time.monotonic() > budget.deadline:
        raise ClauseTooLarge(f"plus de {MAX_RENDER_SECONDS:g} s de calcul")


def _counted(items: Iterable[Any]) -> Iterator[Any]:
    """A loop's sequence, one budget step per iteration."""
    for item in items:
        _step()
        yield item


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (str, list, tuple))


def _magnitude_bits(value: Any) -> float:
    """Bits of an integer or of a Decimal's integer part, 0 for the rest (floats overflow on their own)."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, Decimal) and value.is_finite() and value != 0:
        return max(0, value.adjusted() + 1) * 3.33
    return 0


class ClauseEnvironment(SandboxedEnvironment):
    """The sandbox with size caps on the operators that can blow up.

    Jinja's sandbox blocks access to internals but lets ``'x' * 999999999``,
    ``10 ** 10 ** 8`` or ``'%999999999s' % x`` allocate gigabytes. Intercepting
    these operators also stops Jinja from folding them into constants while it
    compiles the template, which is where a pack import used to hang.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%", "-", "/", "//"})

    def getitem(self, obj: Any, argument: Any) -> Any:
        _step()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "%" and isinstance(left, str):
            raise ClauseTooLarge("formatage de texte par « % » interdit dans une clause")
        if operator == "*" and (_is_sequence(left) or _is_sequence(right)):
            sequence, count = (left, right) if _is_sequence(left) else (right, left)
            if not isinstance(count, int) or isinstance(count, bool):
                raise ClauseTooLarge("répétition de texte par un nombre non entier")
            if isinstance(sequence, (list, tuple)) or len(sequence) * max(count, 0) > MAX_SEQUENCE_CHARS:
                raise ClauseTooLarge(f"texte répété au-delà de {MAX_SEQUENCE_CHARS} caractères")
        elif operator == "+" and _is_sequence(left) and _is_sequence(right):
            if isinstance(left, (list, tuple)) or len(left) + len(right) > MAX_SEQUENCE_CHARS:
                raise ClauseTooLarge(f"texte assemblé au-delà de {MAX_SEQUENCE_CHARS} caractères")
        elif operator == "**":
            bits = _magnitude_bits(left)
            exponent = right if isinstance(right, (int, Decimal)) and not isinstance(right, bool) else 0
            if bits > 1 and abs(exponent) * bits > MAX_NUMBER_BITS:
                raise ClauseTooLarge(f"puissance dépassant {MAX_NUMBER_BITS} bits")
        elif operator == "*" and _magnitude_bits(left) + _magnitude_bits(right) > MAX_NUMBER_BITS:
            raise ClauseTooLarge(f"produit dépassant {MAX_NUMBER_BITS} bits")
        return super().call_binop(context, operator, left, right)


def _replace(value: Any, old: Any, new: Any, count: int | None = None) -> str:
    """Jinja's replace filter, bounded: chained replaces could otherwise grow text exponentially."""
    text, old, new = str(value), str(old), str(new)
    occurrences = (len(text) + 1) if old == "" else text.count(old)
    if count is not None:
        occurrences = min(occurrences, max(int(count), 0))
    if len(text) + occurrences * max(0, len(new) - len(old)) > MAX_SEQUENCE_CHARS:
        raise ClauseTooLarge(f"remplacement produisant plus de {MAX_SEQUENCE_CHARS} caractères")
    return text.replace(old, new, -1 if count is None else max(int(count), 0))


def _bounded_number(value: Any, decimals: int = 0) -> str:
    return _number(value, min(max(int(decimals), 0), 6))


def _join(value: Any, d: Any = "", attribute: Any = None) -> str:
    """Jinja's join, bounded BEFORE the text is built: ``t|join(t)|join(t)`` once reached a gigabyte."""
    if attribute is not None:
        raise ClauseTooLarge("join par attribut interdit dans une clause")
    items = [str(item) for item in (value if not isinstance(value, str) else list(value))]
    separator = str(d)
    size = sum(len(item) for item in items) + len(separator) * max(len(items) - 1, 0)
    if size > MAX_SEQUENCE_CHARS:
        raise ClauseTooLarge(f"texte joint au-delà de {MAX_SEQUENCE_CHARS} caractères")
    return separator.join(items)


def _with_step(function: Any) -> Any:
    def counted(*args: Any, **kwargs: Any) -> Any:
        _step()
        return function(*args, **kwargs)

    counted.__name__ = getattr(function, "__name__", "filter")
    for marker in ("jinja_pass_arg",):  # keep Jinja's pass_context/pass_environment markers
        if hasattr(function, marker):
            setattr(counted, marker, getattr(function, marker))
    return counted


def compile_body(body: str, tree: nodes.Template | None = None) -> jinja2.Template:
    """The body compiled with a budget step in each loop iteration (check it with check_body first,
    and give the tree check_body returned: parsing a long body twice costs as much as checking it)."""
    tree = tree if tree is not None else ENVIRONMENT.parse(body)
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_counted_loop", [], [], None, None, lineno=loop.lineno)
    return ENVIRONMENT.from_string(tree)


def render_pieces(template: jinja2.Template, values: dict[str, Any]) -> str:
    """Render under one budget (steps, time) and MAX_RENDERED_CHARS, checked as the pieces come."""
    pieces, length = [], 0
    with render_budget():
        for piece in template.generate(**values):
            _step()
            length += len(piece)
            if length > MAX_RENDERED_CHARS:
                raise ClauseTooLarge("texte rédigé trop long")
            pieces.append(piece)
    return "".join(pieces)


# Filters a clause may use: ours plus harmless text ones. Filters that read
# attributes (attr, map, selectattr, groupby, sort by attribute...) are refused.
ALLOWED_FILTERS = frozenset(
    "money percent number hours date upper lower capitalize trim round int abs default join replace "
    "montant pourcentage nombre heures".split()
)
# The formatting filters as the clause editor presents them: French name -> what it does.
FILTER_LABELS = {
    "montant": "montant en euros (1 200 000 €)",
    "pourcentage": "pourcentage (5 %)",
    "heures": "heures (1 600 heures)",
    "nombre": "nombre (1 200)",
    "date": "date (1er décembre 2026)",
}


def make_environment() -> SandboxedEnvironment:
    env = ClauseEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=False,  # keep the blank line after an {% endif %}: paragraphs stay apart
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(money=_money, percent=_percent, number=_bounded_number, hours=_hours, date=_date,
                       replace=_replace, join=_join)
    # The same filters under their French names, the ones the clause editor shows.
    env.filters.update(montant=_money, pourcentage=_percent, nombre=_bounded_number, heures=_hours)
    for name in ALLOWED_FILTERS:
        env.filters[name] = _with_step(env.filters[name])
    env.filters["_counted_loop"] = _counted
    env.globals.clear()  # no range(), dict(), lipsum(), cycler(): a clause needs none of them
    return env


ENVIRONMENT = make_environment()
# Statements a clause may not use: imports and macros reach outside the body;
# {% set %} and {% with %} would let a body double a value again and again.
_FORBIDDEN_STATEMENTS = (
    nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends, nodes.Macro, nodes.CallBlock,
    nodes.Assign, nodes.AssignBlock, nodes.With, nodes.FilterBlock,
)


def check_body(clause_id: str, body: str, variable_names: set[str]) -> nodes.Template:
    """Refuse a body that does not parse, uses unknown names or reaches for internals.

    The sandbox would block attribute access at render time anyway; this check
    refuses such templates up front (at import) with a clear message.
    """
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            f"Le texte de la clause « {clause_id} » dépasse {format_number(MAX_BODY_CHARS)} caractères : "
            "découpez-le en plusieurs clauses."
        )
    try:
        tree = ENVIRONMENT.parse(body)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            f"Le texte de la clause « {clause_id} » contient une erreur de syntaxe ligne {exc.lineno} : {french_syntax_message(exc.message)}."
        ) from None
    except RecursionError:
        raise ValidationError(
            f"Le texte de la clause « {clause_id} » imbrique trop d'expressions : simplifiez-le."
        ) from None
    for loop in tree.find_all(nodes.For):
        if any(True for _ in loop.find_all(nodes.For)):
            raise ValidationError(
                f"La clause « {clause_id} » imbrique une boucle dans une autre : une seule boucle à la fois est permise."
            )
    for node in tree.find_all((nodes.Filter, nodes.Test, nodes.Call)):
        if isinstance(node, nodes.Call) or (isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS):
            what = node.name if isinstance(node, nodes.Filter) else "appel de fonction"
            raise ValidationError(
                f"La clause « {clause_id} » utilise « {what} », qui n'est pas permis dans une clause. "
                f"Filtres permis : {', '.join(sorted(ALLOWED_FILTERS))}."
            )
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, *_FORBIDDEN_STATEMENTS)):
        if isinstance(node, _FORBIDDEN_STATEMENTS):
            raise ValidationError(
                f"La clause « {clause_id} » utilise une instruction interdite ({type(node).__name__}) : "
                "seuls les variables, conditions et filtres sont permis."
            )
        name = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            name = node.arg.value
        elif isinstance(node, nodes.Name):
            name = node.name
        if isinstance(node, nodes.Getattr) or (name and name.startswith("_")):
            raise ValidationError(
                f"La clause « {clause_id} » accède à « {name} » : l'accès aux attributs internes est interdit. "
                "Utilisez seulement les variables déclarées de la clause."
            )
    unknown = sorted(meta.find_undeclared_variables(tree) - variable_names)
    if unknown:
        raise ValidationError(
            f"La clause « {clause_id} » utilise la variable « {unknown[0]} » qu'elle ne déclare pas."
        )
    return tree
