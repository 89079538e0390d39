"""No clause body can exhaust memory or CPU: operators, filters, loops and the wording are capped.

Each body below used to allocate gigabytes or spin for seconds (the first took
3.9 GB at pack import). They must now be refused quickly, with a French
message naming the clause, both by the check at import and at render time.
"""

from __future__ import annotations

import time

import pytest

from achatsdesk.domain.clauses import (
    MAX_RENDERED_CHARS,
    check_body,
    make_environment,
    render_clause,
    validate_clause,
)
from achatsdesk.errors import ValidationError
from achatsdesk.services.clause_format import clause_from_dict

TEXT = {"name": "texte", "label": "Texte", "type": "text", "default": "abc", "required": False}

BOMBS = [
    "{{ 'x' * 999999999 }}",
    "{{ 999999999 * 'x' }}",
    "{{ 10 ** (10 ** 8) }}",
    "{{ 2 ** 999999999 }}",
    "{{ (2 ** 4000) * (2 ** 4000) * (2 ** 4000) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ ('x' * 9000) + ('x' * 9000) }}",
    "{{ 'ab'|replace('', 'xxxxxxxxxx')|replace('x', 'xxxxxxxxxx')|replace('x', 'xxxxxxxxxx')|replace('x', 'xxxxxxxxxx') }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% for i in 'x' * 9999 %}{{ 'y' * 9999 }}{% endfor %}",
    "{% for i in texte * 3000 %}{% for j in texte * 3000 %}{% for k in texte * 3000 %}{% endfor %}{% endfor %}{% endfor %}",
    "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 40 + "{{ a }}",
]


def make_clause(body: str):
    return clause_from_dict({
        "id": "perso-gourmande", "title": "Essai", "family": "condition-sociale", "kind": "condition-execution",
        "document": "CCAP", "legal_basis": "L2112-2", "applies_from": "2019-04-01", "version": "1.0",
        "body": body, "variables": [TEXT],
    })


@pytest.mark.parametrize("body", BOMBS)
def test_a_greedy_body_is_refused_at_validation_and_at_render_quickly(body: str) -> None:
    clause = make_clause(body)
    for attempt in (validate_clause, render_clause):
        started = time.perf_counter()
        with pytest.raises(ValidationError) as caught:
            attempt(clause)
        assert time.perf_counter() - started < 1.0
        assert "perso-gourmande" in caught.value.message


def test_number_keeps_a_sensible_count_of_decimals() -> None:
    assert render_clause(make_clause("{{ 1|number(2) }}")) == "1,00"


def test_the_sandbox_itself_caps_operators_even_without_the_body_check() -> None:
    """Defence in depth: the environment refuses the operation even if check_body were bypassed."""
    env = make_environment()
    for body in ("{{ 'x' * 999999999 }}", "{{ 10 ** (10 ** 8) }}", "{{ '%0999999999d' % 1 }}"):
        started = time.perf_counter()
        with pytest.raises(Exception, match="interdit|au-delà|dépassant"):
            env.from_string(body).render()
        assert time.perf_counter() - started < 1.0


def test_ordinary_arithmetic_and_text_still_work() -> None:
    body = "{{ 2 ** 10 }} {{ 12 * 3 }} {{ 'ab' * 3 }} {{ texte + 'd' }} {{ texte|replace('b', 'B') }} {{ 10 ** 10 ** 8 }}"
    # Jinja reads 10 ** 10 ** 8 as (10 ** 10) ** 8: a harmless 81-digit number.
    assert render_clause(make_clause(body)) == f"1024 36 ababab abcd aBc {10 ** 80}"


def test_the_rendered_wording_is_capped() -> None:
    body = "{% for i in 'x' * 5000 %}{{ 'y' * 50 }}{% endfor %}"  # 250 000 characters
    assert 5000 * 50 > MAX_RENDERED_CHARS
    with pytest.raises(ValidationError, match="perso-gourmande.*trop de mémoire"):
        render_clause(make_clause(body))


def test_an_oversized_body_or_text_value_is_refused_in_french() -> None:
    with pytest.raises(ValidationError, match="dépasse 20.000 caractères"):
        check_body("perso-longue", "x" * 20_001, set())
    with pytest.raises(ValidationError, match="« texte ».*dépasse"):
        render_clause(make_clause("{{ texte }}"), {"texte": "a" * 4_001})
