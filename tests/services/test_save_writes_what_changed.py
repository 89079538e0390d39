"""A save writes the dossier row in one statement and rewrites only the parts that changed: each
statement is a round trip to the team server. Runs on both engines."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from achatsdesk.domain.dossier import Lot
from achatsdesk.services import dossiers as svc


@contextmanager
def statements(database):
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(" ".join(statement.split()).upper())

    event.listen(database.shared_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.shared_engine, "before_cursor_execute", record)


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_title_edit_writes_one_update_and_no_child_rows(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.title = "Nettoyage des collèges de l'Est"
    with statements(database) as seen:
        assert svc.save_dossier(database, dossier_id, stored.dossier, stored.revision) == stored.revision + 1
    assert [s.split()[0:2] for s in writes(seen)] == [["UPDATE", "DOSSIER"]]
    again = svc.get_dossier(database, dossier_id)
    assert again.dossier.title == "Nettoyage des collèges de l'Est"
    assert again.dossier.items == stored.dossier.items and again.dossier.cpv == stored.dossier.cpv
    assert again.dossier.clauses == stored.dossier.clauses


def test_a_lot_edit_rewrites_the_lots_only_and_keeps_everything(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.lots = [Lot("Collèges de l'Est", "90911200-8", Decimal("700000")),
                           Lot("Collèges de l'Ouest", None, Decimal("650000"))]
    with statements(database) as seen:
        svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)
    tables = {s.split()[2] if s.startswith("DELETE") else s.split()[1] if s.startswith("UPDATE") else s.split()[2]
              for s in writes(seen)}
    assert tables == {"DOSSIER", "DOSSIER_LOT"}
    again = svc.get_dossier(database, dossier_id).dossier
    assert again.lots == stored.dossier.lots and again.items == stored.dossier.items


@contextmanager
def statements_and_modes(database):
    """Each statement on the shared tables with whether it ran outside an explicit transaction."""
    seen: list[tuple[str, bool]] = []

    def record(conn, _cursor, statement, _params, _context, _many) -> None:
        autocommit = conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        seen.append((" ".join(statement.split()).upper(), autocommit))

    event.listen(database.shared_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.shared_engine, "before_cursor_execute", record)


def another_window(database):
    """A second Database on the same store, as another window or process opens it: it remembers nothing."""
    from achatsdesk.storage.database import Database

    return Database(database.path, server=database.server)


def test_after_a_read_a_field_edit_is_the_claiming_update_alone_outside_a_transaction(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.estimated_amount_eur = Decimal("1250000")
    with statements_and_modes(database) as seen:
        revision = svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)
    # The version read is the stored one at that revision: nothing is read back, and one
    # statement needs no BEGIN / COMMIT (one round trip to the team server).
    assert [(s.split()[0:2], autocommit) for s, autocommit in seen] == [(["UPDATE", "DOSSIER"], True)]
    stored.dossier.title = "Deuxième frappe"
    with statements_and_modes(database) as seen:
        assert svc.save_dossier(database, dossier_id, stored.dossier, revision) == revision + 1
    assert len(seen) == 1  # the version just saved is remembered too
    again = svc.get_dossier(database, dossier_id).dossier
    assert again.title == "Deuxième frappe" and again.estimated_amount_eur == Decimal("1250000")
    assert again.items == stored.dossier.items and again.lots == stored.dossier.lots


def test_an_edit_of_child_rows_runs_in_one_transaction(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.cpv = ["90919200-4"]
    with statements_and_modes(database) as seen:
        svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)
    assert len(seen) >= 3 and not any(autocommit for _, autocommit in seen)
    assert svc.get_dossier(database, dossier_id).dossier.cpv == ["90919200-4"]


def test_a_copy_this_database_did_not_read_is_checked_against_the_stored_version(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    other = another_window(database)
    try:
        stored = svc.get_dossier(other, dossier_id)
    finally:
        other.dispose()
    stored.dossier.title = "Lu dans une autre fenêtre"
    with statements_and_modes(database) as seen:
        svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)
    assert seen[0][0].startswith("SELECT") and not any(autocommit for _, autocommit in seen)
    assert svc.get_dossier(database, dossier_id).dossier.title == "Lu dans une autre fenêtre"


def test_a_save_elsewhere_after_the_read_is_still_refused_and_nothing_is_written(database, example_dossier):
    from achatsdesk.errors import StaleDossierError

    dossier_id = svc.create_dossier(database, example_dossier)
    mine = svc.get_dossier(database, dossier_id)  # remembered here
    other = another_window(database)
    try:
        theirs = svc.get_dossier(other, dossier_id)
        theirs.dossier.title = "Enregistré par un collègue"
        theirs.dossier.cpv = ["90919200-4"]
        svc.save_dossier(other, dossier_id, theirs.dossier, theirs.revision)
    finally:
        other.dispose()
    mine.dossier.title = "Ma version"
    with pytest.raises(StaleDossierError):
        svc.save_dossier(database, dossier_id, mine.dossier, mine.revision)
    stored = svc.get_dossier(database, dossier_id).dossier
    assert stored.title == "Enregistré par un collègue" and stored.cpv == ["90919200-4"]


def test_a_dossier_deleted_elsewhere_is_named_as_missing(database, example_dossier):
    from achatsdesk.errors import NotFoundError

    dossier_id = svc.create_dossier(database, example_dossier)
    mine = svc.get_dossier(database, dossier_id)
    other = another_window(database)
    try:
        svc.delete_dossier(other, dossier_id)
    finally:
        other.dispose()
    mine.dossier.title = "Ma version"
    with pytest.raises(NotFoundError, match="n'existe pas"):
        svc.save_dossier(database, dossier_id, mine.dossier, mine.revision)


def test_a_remembered_version_never_stands_for_another_dossier_with_the_same_number(database, example_dossier):
    from achatsdesk.services import dossier_versions

    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    assert dossier_versions.recall(database, dossier_id, stored.revision, stored.dossier.uid) is not None
    assert dossier_versions.recall(database, dossier_id, stored.revision, "another-uid") is None
    assert dossier_versions.recall(database, dossier_id, stored.revision + 1, stored.dossier.uid) is None
    svc.delete_dossier(database, dossier_id)
    assert dossier_versions.recall(database, dossier_id, stored.revision, stored.dossier.uid) is None
