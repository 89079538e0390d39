"""Bob's window on a real team server while Alice works: the whole path from her save to his
screen (trigger, NOTIFY, listener thread, queued signal, list and editor)."""

from __future__ import annotations

import json

import pytest

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossier_locks as locks
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


@pytest.fixture
def bob_window(qtbot, team):
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage
    from achatsdesk.ui.settings import Settings

    _alice, bob = team
    context = ShellContext(bob.paths, bob.database, Settings(bob.paths.config), ReferenceService(bob.database))
    assert context.team_listener is not None and context.team_listener.wait_listening(10)
    page = DossiersPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    yield context, page
    context.stop_team_events()
    page.close_editor(show_list=False)
    qtbot.wait(50)  # what was queued for the GUI thread is dropped before Bob's role goes


def _titles(page) -> list[str]:
    return [page.model.index(row, 0).data() for row in range(page.model.rowCount())]


def test_bob_list_shows_alice_new_dossier_without_asking(qtbot, team, bob_window):
    alice, _bob = team
    _context, page = bob_window
    assert _titles(page) == []
    dossier = example()
    dossier.title = "Dossier d'Alice"
    svc.create_dossier(alice.database, dossier)
    qtbot.waitUntil(lambda: _titles(page) == ["Dossier d'Alice"], timeout=5000)


def test_bob_editor_shows_alice_lock_and_save(qtbot, team, bob_window):
    alice, bob = team
    context, page = bob_window
    dossier_id = svc.create_dossier(alice.database, example())
    locks.take_lock(alice.database, dossier_id)  # Alice has it open

    editor = page.open_dossier(dossier_id)
    assert editor.lock_banner.isVisible()
    assert editor.lock_banner.text().startswith(f"En cours de modification par {alice.role}")

    stored = svc.get_dossier(alice.database, dossier_id)
    stored.dossier.title = "Retitré par Alice"
    svc.save_dossier(alice.database, dossier_id, stored.dossier, stored.revision)
    qtbot.waitUntil(editor.elsewhere_notice.isVisible, timeout=5000)
    assert editor.elsewhere_text.text().startswith(f"Modifié par {alice.role} à ")
    assert editor.current_dossier().title == "Nettoyage des collèges"

    locks.release_lock(alice.database, dossier_id)  # Alice closes it: Bob's editor takes the lock
    qtbot.waitUntil(lambda: not editor.lock_banner.isVisible(), timeout=5000)
    held = locks.lock_of(alice.database, dossier_id)
    assert held is not None and held.holder == bob.role

    page.close_editor()  # Bob closes it: the lock goes back at once
    assert locks.lock_of(alice.database, dossier_id) is None


def test_closing_the_window_gives_the_lock_back(qtbot, team, bob_window):
    alice, bob = team
    _context, page = bob_window
    dossier_id = svc.create_dossier(alice.database, example())
    page.open_dossier(dossier_id)
    assert locks.lock_of(alice.database, dossier_id).holder == bob.role
    assert page.can_close()  # the main window asks each page before closing
    assert locks.lock_of(alice.database, dossier_id) is None
    page.editor.refresh_lock()  # the close was refused elsewhere: the next refresh takes it again
    assert locks.lock_of(alice.database, dossier_id).holder == bob.role
