"""The library service: shipped clauses read-only, user clauses stored, copied, searched."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.services.clause_format import clause_from_dict
from achatsdesk.services.clause_library import (
    ClauseFilter,
    copy_clause,
    delete_user_clause,
    load_library,
    save_user_clause,
    shipped_clauses,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "clauses" / "user-clause.json"


def user_clause():
    return clause_from_dict(json.loads(FIXTURE.read_text("utf-8")))


def test_a_user_clause_is_stored_and_listed_beside_the_shipped_ones(database) -> None:
    before = len(load_library(database))
    save_user_clause(database, user_clause())
    library = load_library(database)
    assert len(library) == before + 1
    stored = library.get("perso-insertion-locale")
    assert stored.source == "utilisateur" and not stored.read_only
    assert library.get("insertion-heures").read_only


def test_shipped_ids_cannot_be_overwritten(database) -> None:
    clause = replace(user_clause(), id="insertion-heures")
    with pytest.raises(ValidationError, match="clause livrée"):
        save_user_clause(database, clause)


def test_an_invalid_user_clause_is_refused(database) -> None:
    with pytest.raises(ValidationError):
        save_user_clause(database, replace(user_clause(), body="{{ heures.__class__ }}"))
    assert load_library(database).find("perso-insertion-locale") is None


def test_copy_of_a_shipped_clause_is_editable_and_keeps_its_origin(database) -> None:
    copy = copy_clause(database, "insertion-heures")
    assert copy.id == "insertion-heures-perso" and copy.based_on == "insertion-heures"
    edited = replace(copy, body=copy.body + "\nMention ajoutée par l'acheteur.\n", version="1.1")
    save_user_clause(database, edited)
    again = load_library(database).get("insertion-heures-perso")
    assert "Mention ajoutée" in again.body and again.version == "1.1"
    assert "Mention ajoutée" not in load_library(database).get("insertion-heures").body
    second = copy_clause(database, "insertion-heures")
    assert second.id == "insertion-heures-perso-2"


def test_delete_only_user_clauses(database) -> None:
    save_user_clause(database, user_clause())
    delete_user_clause(database, "perso-insertion-locale")
    assert load_library(database).find("perso-insertion-locale") is None
    with pytest.raises(NotFoundError):
        delete_user_clause(database, "insertion-heures")


def test_search_and_filters() -> None:
    from achatsdesk.services.clause_library import ClauseLibrary

    library = ClauseLibrary(shipped_clauses(), [])
    found = library.search(ClauseFilter(text="ecolabel"))
    assert "nettoyage-produits-ecolabellises" in {c.id for c in found}  # accents folded
    rc = library.search(ClauseFilter(document="RC"))
    assert rc and all(c.document == "RC" for c in rc)
    criteria = library.search(ClauseFilter(kind="critere-attribution", family="critere-environnemental"))
    assert {c.id for c in criteria} >= {"critere-environnemental", "critere-cout-cycle-vie"}
    cleaning = library.search(ClauseFilter(sector="nettoyage"))
    assert cleaning and all(c.sector_label == "nettoyage" for c in cleaning)
    general = library.search(ClauseFilter(sector=""))
    assert general and all(not c.sector_label for c in general)
    assert isinstance(library.search(ClauseFilter(text='AND( "*')), list)  # typed operators never raise
    assert library.search(ClauseFilter(text='zzqx')) == []
    assert "nettoyage" in library.sector_labels()


def test_a_stored_clause_with_tags_an_earlier_version_accepted_still_loads(database) -> None:
    """Packs were not checked against the eForms code lists before: such a clause stays usable."""
    save_user_clause(database, user_clause())
    with database.shared_engine.begin() as conn:  # the organisation's clauses: on the team server in team mode
        row = conn.execute(text("SELECT data_json FROM user_clause WHERE clause_id = 'perso-insertion-locale'")).scalar()
        data = json.loads(row)
        data["eforms"] = {"BT-06": "soc-obj", "BT-775": ["insertion", "emploi-local"], "BT-999": ["x"]}
        conn.execute(text("UPDATE user_clause SET data_json = :data WHERE clause_id = 'perso-insertion-locale'"),
                     {"data": json.dumps(data)})
    stored = load_library(database).get("perso-insertion-locale")
    assert stored.eforms["BT-775"] == ["opp"]  # the known category mapped, the unknown code left out
    with pytest.raises(ValidationError):  # the same block in a file to import is still refused, in French
        clause_from_dict(data)
