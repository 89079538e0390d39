"""eForms tags of the clauses: the official code lists, the former categories read into them,
and the tags a dossier's chosen clauses bring to the notice."""

from __future__ import annotations

import pytest

from achatsdesk.domain.eforms import (
    ENVIRONMENTAL_IMPACT,
    GPP_CRITERIA,
    SOCIAL_OBJECTIVE,
    notice_tags,
    read_tags,
)
from achatsdesk.errors import ValidationError
from achatsdesk.services.clause_library import load_library


def test_every_shipped_clause_is_tagged_with_official_codes() -> None:
    clauses = load_library(None).all()
    assert len(clauses) >= 50
    for clause in clauses:
        tags = clause.eforms
        assert set(tags["BT-774"]) <= set(ENVIRONMENTAL_IMPACT), clause.id
        assert set(tags["BT-775"]) <= set(SOCIAL_OBJECTIVE), clause.id
        assert set(tags["BT-805"]) <= set(GPP_CRITERIA), clause.id
        # An environmental clause says which impact it reduces; a social one which objective it serves.
        assert bool(tags["BT-774"]) == (tags["BT-06"] == "env-imp"), clause.id
        assert bool(tags["BT-775"]) == (tags["BT-06"] == "soc-obj"), clause.id
    by_id = {c.id: c.eforms for c in clauses}
    assert by_id["insertion-heures"]["BT-775"] == ["opp"]
    assert by_id["vehicules-faibles-emissions"]["BT-774"] == ["clim-mitig", "pollu-prev"]
    assert by_id["gpp-niveau-ue"]["BT-805"] == ["eu"]


def test_former_categories_are_read_into_the_codes() -> None:
    tags = read_tags({"BT-06": "soc-obj", "BT-774": [], "BT-775": ["insertion", "handicap", "egalite"]}, "ancienne")
    assert tags == {"BT-06": "soc-obj", "BT-774": [], "BT-775": ["opp", "gen-eq"], "BT-805": []}
    assert read_tags({"BT-06": "env-imp", "BT-774": ["cycle-de-vie", "efficacite-energetique"]}, "x")["BT-774"] == [
        "circ-econ", "clim-mitig"]
    assert read_tags(None, "x") == {"BT-06": "none", "BT-774": [], "BT-775": [], "BT-805": []}


@pytest.mark.parametrize(("tags", "expected"), [
    ({"BT-06": "vert"}, "BT-06 « vert »"),
    ({"BT-06": "env-imp", "BT-774": ["climat"]}, "BT-774 « climat »"),
    ({"BT-06": "soc-obj", "BT-775": "opp", "BT-999": []}, "Champ eForms « BT-999 »"),
    ({"BT-06": "soc-obj", "BT-775": [3]}, "BT-775 doit être une liste"),
    (["BT-06"], "doivent être un objet"),
])
def test_unknown_tags_are_refused_in_french(tags, expected) -> None:
    with pytest.raises(ValidationError) as refused:
        read_tags(tags, "ma-clause")
    assert expected in refused.value.message and "ma-clause" in refused.value.message


def test_the_notice_gets_each_code_once_in_list_order() -> None:
    tags = notice_tags([
        {"BT-06": "none"},
        {"BT-06": "soc-obj", "BT-775": ["work-cond"]},
        {"BT-06": "soc-obj", "BT-775": ["opp", "work-cond"]},
        {"BT-06": "env-imp", "BT-774": ["pollu-prev", "clim-mitig"], "BT-805": ["eu"]},
    ])
    assert tags == {"BT-06": ["env-imp", "soc-obj"], "BT-774": ["clim-mitig", "pollu-prev"],
                    "BT-775": ["opp", "work-cond"], "BT-805": ["eu"]}
    assert notice_tags([{"BT-06": "none"}])["BT-06"] == ["none"]
