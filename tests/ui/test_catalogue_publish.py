"""The Catalogue ESS page in team mode: "Publier pour l'organisation" sends this workstation's imported
structures to the team server (a real PostgreSQL server). Alone, the action is not offered."""

from __future__ import annotations

from pathlib import Path

import pytest

MADE_UP = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue" / "lemarche_export_MADEUP.csv"


@pytest.fixture
def team_context(paths, postgres_url):
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.settings import Settings
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_ui_publish")
    database = open_database(paths, server=url)
    yield ShellContext(paths, database, Settings(paths.config), ReferenceService(database))
    database.dispose()
    drop_database(postgres_url, url)


def test_alone_the_publish_action_is_not_offered(catalogue_page):
    assert catalogue_page.publish_action not in catalogue_page.toolbar_actions()


def test_connected_the_action_publishes_a_release(qtbot, team_context, message_boxes):
    from achatsdesk.services import catalogue
    from achatsdesk.services.catalogue_publication import latest_release
    from achatsdesk.ui.catalogue.catalogue_page import CataloguePage

    catalogue.import_file(team_context.database, MADE_UP)
    page = CataloguePage(team_context)
    qtbot.addWidget(page)
    assert page.publish_action in page.toolbar_actions()
    message_boxes.expect(1)
    page.publish_action.trigger()
    assert message_boxes.shown and "Version 1" in message_boxes.shown[0][1]
    release = latest_release(team_context.database)
    assert release is not None and release.suppliers == 3
