"""Typed variables, French errors naming the variable, sandboxed rendering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.clauses import (
    ClauseTemplate,
    ClauseVariable,
    check_body,
    render_clause,
    resolve_values,
    validate_clause,
)
from achatsdesk.errors import ValidationError
from achatsdesk.services.clause_format import clause_from_dict, clause_to_dict


def make_clause(body: str, variables=(), **extra) -> ClauseTemplate:
    return clause_from_dict({
        "id": "essai", "title": "Essai", "family": "condition-sociale", "kind": "condition-execution",
        "document": "CCAP", "legal_basis": "L2112-2", "applies_from": "2019-04-01", "version": "1.0",
        "body": body, "variables": list(variables), **extra,
    })


HOURS = {"name": "heures", "label": "Nombre d'heures", "type": "integer", "default": 100, "min": 0, "max": 5000}


def test_values_are_rendered_in_french_formats() -> None:
    clause = make_clause(
        "{{ heures|hours }} ; {{ montant|money }} ; {{ taux|percent }} ; {{ jour|date }}",
        [HOURS,
         {"name": "montant", "label": "Montant", "type": "money", "default": 1200000},
         {"name": "taux", "label": "Taux", "type": "percent", "default": 5},
         {"name": "jour", "label": "Jour", "type": "date", "default": "2026-12-01"}],
    )
    text = render_clause(clause, {"heures": "1600"})
    assert text == "1\u202f600\u00a0heures ; 1\u202f200\u202f000\u00a0€\u00a0HT ; 5\u00a0% ; 1er décembre 2026"


def test_a_missing_required_variable_is_named_in_french() -> None:
    clause = make_clause("{{ heures }}", [{**HOURS, "default": None}])
    with pytest.raises(ValidationError) as caught:
        render_clause(clause)
    assert "« heures »" in caught.value.message and "obligatoire" in caught.value.message


def test_an_out_of_bounds_value_names_the_variable_and_its_bounds() -> None:
    clause = make_clause("{{ heures }}", [HOURS])
    with pytest.raises(ValidationError) as caught:
        render_clause(clause, {"heures": 6000})
    message = caught.value.message
    assert "« heures »" in message and "5\u202f000" in message and "6\u202f000" in message


def test_wrong_types_are_refused_by_name() -> None:
    clause = make_clause(
        "{{ heures }} {{ choix }} {{ jour|date }}",
        [HOURS, {"name": "choix", "label": "Choix", "type": "choice", "choices": ["oui", "non"], "default": "oui"},
         {"name": "jour", "label": "Jour", "type": "date", "default": "2026-01-01"}],
    )
    for values, name in (({"heures": "douze"}, "heures"), ({"heures": "1.5"}, "heures"),
                         ({"choix": "peut-être"}, "choix"), ({"jour": "32/13/2026"}, "jour")):
        with pytest.raises(ValidationError, match=f"« {name} »"):
            resolve_values(clause, values)


def test_values_typed_in_a_form_are_understood() -> None:
    clause = make_clause("{{ m|money }} {{ jour|date }}", [
        {"name": "m", "label": "Montant", "type": "money", "default": 0},
        {"name": "jour", "label": "Jour", "type": "date", "default": "2026-01-01"},
    ])
    values = resolve_values(clause, {"m": "1 200 000,50", "jour": "01/12/2026"})
    assert values == {"m": Decimal("1200000.50"), "jour": date(2026, 12, 1)}


def test_unknown_variable_names_are_refused() -> None:
    with pytest.raises(ValidationError, match="pas de variable « heure »"):
        resolve_values(make_clause("{{ heures }}", [HOURS]), {"heure": 3})


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ heures.__class__ }}",
    "{{ heures['__class__'] }}",
    "{{ heures|attr('__class__') }}",
    "{{ heures.real }}",
    "{% import 'x' as y %}",
    "{{ range(10) }}",
    "{{ heures|map(attribute='x') }}",
])
def test_bodies_reaching_for_internals_are_refused_before_rendering(body: str) -> None:
    with pytest.raises(ValidationError):
        check_body("essai", body, {"heures"})


def test_the_sandbox_blocks_internals_even_if_the_check_is_skipped() -> None:
    clause = make_clause("{{ ''.__class__.__mro__ }}")
    with pytest.raises(ValidationError) as caught:
        render_clause(clause)
    assert "essai" in caught.value.message


def test_syntax_errors_and_undeclared_names_are_reported() -> None:
    with pytest.raises(ValidationError, match="syntaxe"):
        validate_clause(make_clause("{% if heures %}sans fin", [HOURS]))
    with pytest.raises(ValidationError, match="« inconnue »"):
        validate_clause(make_clause("{{ inconnue }}", [HOURS]))


def test_json_round_trip_keeps_every_field() -> None:
    clause = make_clause("{{ heures|hours }}", [HOURS], cpv_prefixes=["909"], obligations=["insertion-clause"],
                         to_confirm=["Taux : à vérifier."], eforms={"BT-06": "soc-obj", "BT-774": [], "BT-775": ["insertion"]})
    again = clause_from_dict(clause_to_dict(clause))
    assert again == clause


def test_malformed_clause_files_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match="« document »"):
        clause_from_dict({"id": "x1", "title": "t", "family": "condition-sociale", "kind": "condition-execution",
                          "legal_basis": "L", "body": "b", "version": "1"})
    with pytest.raises(ValidationError, match="Obligation « inconnue »"):
        make_clause("b", obligations=["inconnue"])
    with pytest.raises(ValidationError, match="Identifiant"):
        clause_from_dict({**clause_to_dict(make_clause("b")), "id": "../../x"})
    assert ClauseVariable("a", "A", "text").required
