"""Bibliothèque de clauses in team mode: the organisation's clauses are written by its administrators
only. A buyer is not offered the writing actions (the server would refuse them anyway); an admin is.
Alone on the local file every action is there. Real PostgreSQL server, two login roles."""

from __future__ import annotations

import pytest

from tests.team.conftest import TeamServer, add_person, run

WRITING = ("Nouvelle clause…", "Copier pour modifier", "Modifier votre clause…", "Importer un paquet…")


@pytest.fixture
def team(postgres_url, paths, _template_database, capsys):
    import shutil

    from sqlalchemy import text

    from tests.postgres_server import admin_engine, create_database, drop_database

    shutil.copyfile(_template_database, paths.database)
    server = TeamServer(create_database(postgres_url, "achatsdesk_ui_rights"))
    code, _out, err = run(capsys, "--database", server.url, "team", "init")
    assert code == 0, err
    yield server
    drop_database(postgres_url, server.url)
    engine = admin_engine(postgres_url)
    with engine.connect() as conn:
        for person in server.people:
            conn.execute(text(f'DROP ROLE IF EXISTS "{person}"'))
    engine.dispose()


def page_for(qtbot, paths, url):
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.clauses.clauses_page import ClausesPage
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.settings import Settings

    database = open_database(paths, server=url)
    page = ClausesPage(ShellContext(paths, database, Settings(paths.config), ReferenceService(database)))
    qtbot.addWidget(page)
    return page, database


def offered(page) -> set[str]:
    return {action.text() for action in page.toolbar_actions()}


def test_alone_every_writing_action_is_offered(qtbot, shell_context):
    from achatsdesk.ui.clauses.clauses_page import ClausesPage

    page = ClausesPage(shell_context)
    qtbot.addWidget(page)
    assert set(WRITING) <= offered(page)


def test_a_buyer_is_not_offered_the_writing_actions_an_admin_is(qtbot, paths, team, capsys):
    buyer = add_person(capsys, team, "acheteur", "acheteur", "Achats")
    admin = add_person(capsys, team, "admin", "admin")
    page, database = page_for(qtbot, paths, team.url_of(buyer))
    assert not set(WRITING) & offered(page) and "Exporter vos clauses…" in offered(page)
    database.dispose()
    page, database = page_for(qtbot, paths, team.url_of(admin))
    assert set(WRITING) <= offered(page)
    database.dispose()
