"""Rights in the database itself (issue 18, Done-when 2): whatever client connects, the server's
grants and row-level security decide. Two people made by `team add-user`: a buyer and a head."""

from __future__ import annotations

import json
from datetime import datetime

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from achatsdesk.errors import ValidationError
from tests.conftest import EXAMPLE_DOSSIER
from tests.team.conftest import add_person, run


def _refused(engine, statement: str, params: dict | None = None) -> None:
    """The statement, through this role's own connection, is refused by the server (privilege or RLS)."""
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(statement), params or {})
    assert isinstance(caught.value.orig, psycopg.errors.InsufficientPrivilege), caught.value.orig


def _import_example(capsys, team, person: str) -> int:
    code, out, err = run(capsys, "--database", team.url_of(person), "dossier", "import", str(EXAMPLE_DOSSIER), "--json")
    assert code == 0, err
    return json.loads(out)["id"]


def test_a_buyer_cannot_record_a_decision_even_in_raw_sql_a_head_can_and_the_history_names_each(capsys, team):
    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    head = add_person(capsys, team, "chef", "chef", service="Achats")
    dossier_id = _import_example(capsys, team, buyer)

    # Through the command line: the server refuses, the message says so in French.
    code, _, err = run(capsys, "--database", team.url_of(buyer), "dossier", "review", str(dossier_id),
                       "--decision", "valide", "--comment", "Je me valide moi-même")
    assert code == 1 and "vos droits ne la permettent pas" in err

    # Through the buyer's own connection, raw SQL: refused as well, both ways a decision shows.
    engine = team.engine_of(buyer)
    _refused(engine, "INSERT INTO dossier_review (dossier_id, decision, reviewer, comment, decided_at) "
                     "VALUES (:d, 'valide', 'moi', '', :now)", {"d": dossier_id, "now": datetime.now()})
    _refused(engine, "UPDATE dossier SET status = 'valide' WHERE id = :d", {"d": dossier_id})
    _refused(engine, "INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at) "
                     "VALUES (:d, 9, 'decision', 'quelqu''un', :now)", {"d": dossier_id, "now": datetime.now()})
    with engine.begin() as conn:  # what a buyer may do: send it for review
        conn.execute(text("INSERT INTO dossier_review (dossier_id, decision, reviewer, comment, decided_at) "
                          "VALUES (:d, 'envoye', :me, '', :now)"), {"d": dossier_id, "me": buyer, "now": datetime.now()})
        conn.execute(text("UPDATE dossier SET status = 'a_relire', revision = revision + 1 WHERE id = :d"),
                     {"d": dossier_id})
        assert conn.execute(text("SELECT status FROM dossier WHERE id = :d"), {"d": dossier_id}).scalar() == "a_relire"
    engine.dispose()

    code, out, err = run(capsys, "--database", team.url_of(head), "dossier", "review", str(dossier_id),
                         "--decision", "valide", "--comment", "Bon pour lancement", "--json")
    assert code == 0, err
    assert json.loads(out)["reviewer"] == head
    code, out, _ = run(capsys, "--database", team.url_of(buyer), "dossier", "show", str(dossier_id))
    assert "(Validé)" in out and f"par {head} : Validé" in out

    code, out, err = run(capsys, "--database", team.url_of(buyer), "dossier", "history", str(dossier_id), "--json")
    assert code == 0, err
    changes = [(c["action"], c["by"]) for c in json.loads(out)["changes"]]
    assert changes[0] == ("creation", buyer)
    assert ("decision", buyer) in changes  # the sending, recorded as the login role that made it
    assert changes[-2:] == [("decision", head), ("modification", head)]
    assert all(by in (buyer, head) for _, by in changes)
    code, out, _ = run(capsys, "--database", team.url_of(head), "dossier", "history", str(dossier_id))
    assert f"Création par {buyer}" in out and f"Décision de relecture par {head}" in out


def test_whoami_names_the_role_services_and_rights(capsys, team):
    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Voirie")
    head = add_person(capsys, team, "chef", "chef", service="Voirie")
    for person, roles, can_review in ((buyer, ["acheteur"], False), (head, ["acheteur", "chef"], True)):
        code, out, err = run(capsys, "--database", team.url_of(person), "team", "whoami", "--json")
        assert code == 0, err
        rights = json.loads(out)
        assert (rights["user"], rights["roles"], rights["services"]) == (person, roles, ["Voirie"])
        assert rights["can_review"] is can_review and rights["can_edit_library"] is False
    code, out, _ = run(capsys, "--database", team.url_of(buyer), "team", "whoami")
    assert "Décisions de relecture : non" in out and "Voirie" in out


def test_a_buyer_of_one_service_neither_sees_nor_edits_a_dossier_of_another(capsys, team):
    roads = add_person(capsys, team, "voirie", "acheteur", service="Voirie")
    schools = add_person(capsys, team, "colleges", "acheteur", service="Collèges")
    dossier_id = _import_example(capsys, team, roads)  # a buyer of one service: the dossier is that service's
    with team.engine_of(roads).connect() as conn:
        assert conn.execute(text("SELECT service FROM dossier WHERE id = :d"), {"d": dossier_id}).scalar() == "Voirie"

    code, out, _ = run(capsys, "--database", team.url_of(schools), "dossier", "list", "--json")
    assert code == 0 and json.loads(out)["dossiers"] == []
    code, _, err = run(capsys, "--database", team.url_of(schools), "dossier", "show", str(dossier_id))
    assert code == 1 and "n'existe pas" in err
    code, _, err = run(capsys, "--database", team.url_of(schools), "dossier", "history", str(dossier_id))
    assert code == 1 and "n'existe pas" in err

    other = team.engine_of(schools)
    with other.begin() as conn:  # row-level security: the rows are not there for this role
        assert conn.execute(text("UPDATE dossier SET title = 'pris' WHERE id = :d"), {"d": dossier_id}).rowcount == 0
        assert conn.execute(text("DELETE FROM dossier_item WHERE dossier_id = :d"), {"d": dossier_id}).rowcount == 0
        assert conn.execute(text("SELECT count(*) FROM dossier_change")).scalar() == 0
    _refused(other, "INSERT INTO dossier_lot (dossier_id, position, title, amount_cents) VALUES (:d, 9, 'lot', 0)",
             {"d": dossier_id})
    other.dispose()
    owner = team.engine_of(roads)  # nor can its own buyer hand it to a service they do not belong to
    _refused(owner, "UPDATE dossier SET service = 'Collèges' WHERE id = :d", {"d": dossier_id})
    with owner.connect() as conn:
        assert conn.execute(text("SELECT title FROM dossier WHERE id = :d"), {"d": dossier_id}).scalar() \
            == "Nettoyage des collèges"
    owner.dispose()

    # A dossier of no service (the superuser belongs to none) is every buyer's.
    code, out, _ = run(capsys, "--database", team.url, "dossier", "import", str(EXAMPLE_DOSSIER), "--json")
    shared_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "--database", team.url_of(schools), "dossier", "list", "--json")
    assert [row["id"] for row in json.loads(out)["dossiers"]] == [shared_id]


def test_the_clause_library_is_written_by_admins_only_and_read_by_all(team, capsys):
    from achatsdesk.errors import StorageError
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.clause_library import blank_user_clause, save_user_clause, user_clauses

    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    head = add_person(capsys, team, "chef", "chef", service="Achats")
    admin = add_person(capsys, team, "admin", "admin")
    for person in (buyer, head):
        database = open_database(server=team.url_of(person))
        with pytest.raises(StorageError, match="vos droits ne la permettent pas"):
            save_user_clause(database, blank_user_clause(database))
        database.dispose()
        _refused(team.engine_of(person), "INSERT INTO user_clause (clause_id, title, version, based_on, origin, "
                 "data_json, created_at, updated_at) VALUES ('x', 'x', '1', NULL, 'x', '{}', now(), now())")

    database = open_database(server=team.url_of(admin))
    saved = save_user_clause(database, blank_user_clause(database))
    database.dispose()
    database = open_database(server=team.url_of(buyer))
    assert [c.id for c in user_clauses(database)] == [saved.id]  # the whole service reads it
    database.dispose()


def test_memberships_are_written_by_admins_only_and_the_history_by_nobody(team, capsys):
    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    admin = add_person(capsys, team, "admin", "admin")
    _refused(team.engine_of(buyer), "INSERT INTO team_member (role_name, service) VALUES (:me, 'Finances')",
             {"me": buyer})
    code, _, err = run(capsys, "--database", team.url_of(buyer), "team", "add-user", buyer, "--role", "admin")
    assert code == 1 and "droits" in err
    with team.engine_of(admin).begin() as conn:
        conn.execute(text("INSERT INTO team_member (role_name, service) VALUES (:me, 'Finances')"), {"me": buyer})
    dossier_id = _import_example(capsys, team, admin)
    # Not even an administrator (one of the tables' owners) writes the history by hand.
    _refused(team.engine_of(admin), "INSERT INTO dossier_change (dossier_id, revision, action, changed_by, changed_at) "
             "VALUES (:d, 9, 'decision', 'x', now())", {"d": dossier_id})
    with team.engine_of(admin).begin() as conn:
        assert conn.execute(text("UPDATE dossier_change SET changed_by = 'x'")).rowcount == 0
        assert conn.execute(text("DELETE FROM dossier_change")).rowcount == 0
    # An administrator is not a head: the decision stays with achatsdesk_chef.
    code, _, err = run(capsys, "--database", team.url_of(admin), "dossier", "review", str(dossier_id),
                       "--decision", "valide", "--comment", "ok")
    assert code == 1 and "droits" in err


def test_add_user_refuses_an_unknown_role_and_the_local_file(capsys, team, local_home):
    code, _, err = run(capsys, "--database", team.url, "team", "add-user", team.name("x"), "--role", "directeur")
    assert code == 1 and "Le rôle « directeur » est inconnu" in err and "acheteur, chef ou admin" in err
    code, _, err = run(capsys, "--database", "local", "team", "add-user", team.name("x"), "--role", "chef")
    assert code == 1 and "base d'équipe" in err and "--database" in err
    code, out, _ = run(capsys, "--database", "local", "team", "whoami", "--json")
    assert json.loads(out)["team"] is False and json.loads(out)["can_review"] is True


def test_team_init_runs_again_without_harm(capsys, team):
    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    dossier_id = _import_example(capsys, team, buyer)
    code, _, err = run(capsys, "--database", team.url, "team", "init")
    assert code == 0, err
    code, out, _ = run(capsys, "--database", team.url_of(buyer), "dossier", "list", "--json")
    assert [row["id"] for row in json.loads(out)["dossiers"]] == [dossier_id]
    _refused(team.engine_of(buyer), "UPDATE dossier SET status = 'valide' WHERE id = :d", {"d": dossier_id})


def test_the_database_option_comes_before_the_environment_for_every_command(capsys, team, monkeypatch):
    from achatsdesk.services.team_connection import ENVIRONMENT_VARIABLE

    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, team.url_of(buyer))
    code, out, _ = run(capsys, "team", "whoami", "--json")
    assert code == 0 and json.loads(out)["user"] == buyer  # the environment variable alone
    code, out, _ = run(capsys, "--database", "local", "team", "whoami", "--json")
    assert json.loads(out)["team"] is False
    _import_example(capsys, team, buyer)
    code, out, _ = run(capsys, "--database", "local", "dossier", "list", "--json")
    assert json.loads(out)["dossiers"] == []  # the local file has none: the server's stayed there
    code, out, _ = run(capsys, "dossier", "list", "--json")
    assert len(json.loads(out)["dossiers"]) == 1


def test_a_buyers_everyday_work_passes_the_servers_rules(capsys, team):
    """Saving, duplicating, the Corbeille, sending for review, the award and its undoing: what a
    buyer does in the window is allowed by the policies (only the head's decision is not)."""
    from achatsdesk.services import dossiers as svc
    from achatsdesk.services import execution, trash
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.team import dossier_history
    from tests.execution.conftest import SIAE_SIRET, example_dossier

    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    head = add_person(capsys, team, "chef", "chef", service="Achats")
    mine = open_database(server=team.url_of(buyer))
    dossier_id = svc.create_dossier(mine, example_dossier())
    stored = svc.get_dossier(mine, dossier_id)
    stored.dossier.title = "Nettoyage des collèges (version 2)"
    revision = svc.save_dossier(mine, dossier_id, stored.dossier, stored.revision)
    assert svc.get_dossier(mine, dossier_id).revision == revision
    copy_id = svc.duplicate_dossier(mine, dossier_id)
    trash.move_to_trash(mine, copy_id)
    trash.delete_for_good(mine, copy_id)
    svc.record_review(mine, dossier_id, "envoye", buyer)
    with pytest.raises(ValidationError, match="n'est pas validé"):  # not yet: the head has not decided
        execution.award_lot(mine, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount="680000")

    theirs = open_database(server=team.url_of(head))
    svc.record_review(theirs, dossier_id, "valide", head)
    theirs.dispose()
    execution.award_lot(mine, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount="680000")
    assert svc.get_dossier(mine, dossier_id).dossier.status.value == "attribue"
    assert execution.undo_award(mine, dossier_id, 1)
    assert svc.get_dossier(mine, dossier_id).dossier.status.value == "valide"  # back where the head left it
    svc.set_status(mine, dossier_id, "brouillon")  # a buyer may take it out of the validated part...
    _refused(team.engine_of(buyer), "UPDATE dossier SET status = 'attribue' WHERE id = :d", {"d": dossier_id})
    _refused(team.engine_of(buyer), "UPDATE dossier SET status = 'a_reprendre' WHERE id = :d", {"d": dossier_id})
    assert [e.by for e in dossier_history(mine, dossier_id)
            if e.action == "decision"] == [buyer, head]
    mine.dispose()
