"""A colleague's change heard from the team server, as the window shows it: the dossiers list
refreshes, an open editor says who changed it and reloads only when the buyer asks (the
listener itself is tested on a real server in tests/team_together)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from achatsdesk.services import dossiers as svc
from achatsdesk.services.team_events import DossierEvent
from achatsdesk.storage.database import Database
from tests.dossier_edits import edit


def _page(qtbot, shell_context):
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage

    page = DossiersPage(shell_context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _titles(page) -> list[str]:
    return [page.model.index(row, 0).data() for row in range(page.model.rowCount())]


def test_the_dossiers_list_refreshes_when_a_colleague_event_arrives(qtbot, shell_context, database, example_dossier):
    svc.create_dossier(database, example_dossier)
    page = _page(qtbot, shell_context)
    assert _titles(page) == ["Nettoyage des collèges"]
    colleague = Database(database.path)  # another connection, as the colleague's window writes
    try:
        example_dossier.uid, example_dossier.title = "", "Dossier de la collègue"
        new_id = svc.create_dossier(colleague, example_dossier)
    finally:
        colleague.dispose()
    assert "Dossier de la collègue" not in _titles(page)  # nothing told the window yet

    with qtbot.waitSignal(shell_context.dossiers_changed, timeout=5000):
        shell_context.receive_team_event(DossierEvent(new_id, 1, "creation", "alice"))
    assert sorted(_titles(page)) == ["Dossier de la collègue", "Nettoyage des collèges"]


def test_events_arriving_together_refresh_the_list_once(qtbot, shell_context, database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    _page(qtbot, shell_context)
    heard: list[None] = []
    shell_context.dossiers_changed.connect(lambda: heard.append(None))
    for revision in (2, 3, 4):
        shell_context.receive_team_event(DossierEvent(dossier_id, revision, "modification", "alice"))
    qtbot.waitUntil(lambda: len(heard) == 1, timeout=5000)
    qtbot.wait(500)
    assert len(heard) == 1


def test_an_open_editor_names_the_colleague_and_reloads_only_when_asked(qtbot, shell_context, make_editor,
                                                                       database, example_id):
    editor = make_editor(example_id)
    colleague = Database(database.path)
    try:
        revision = edit(colleague, example_id, lambda d: setattr(d, "title", "Version de la collègue"))
    finally:
        colleague.dispose()

    shell_context.receive_team_event(DossierEvent(example_id, revision, "modification", "alice"))
    assert editor.elsewhere_notice.isVisible()
    assert editor.elsewhere_text.text().startswith("Modifié par alice à ")
    assert editor.current_dossier().title == "Nettoyage des collèges"  # not reloaded behind the buyer's back

    qtbot.mouseClick(editor.reload_button, Qt.MouseButton.LeftButton)
    assert editor.current_dossier().title == "Version de la collègue"
    assert not editor.elsewhere_notice.isVisible()


def test_reloading_over_unsaved_edits_offers_to_keep_them(qtbot, shell_context, make_editor, database, example_id):
    editor = make_editor(example_id)
    colleague = Database(database.path)
    try:
        revision = edit(colleague, example_id, lambda d: setattr(d, "title", "Version de la collègue"))
    finally:
        colleague.dispose()
    editor.apply_edit("Modifier l'intitulé", lambda d: setattr(d, "title", "Ma version"))
    assert editor.autosaver.dirty  # typed, not saved yet
    asked = []
    editor.choose_after_stale_save = lambda exc: asked.append(exc) or "copy"

    shell_context.receive_team_event(DossierEvent(example_id, revision, "modification", "alice"))
    qtbot.mouseClick(editor.reload_button, Qt.MouseButton.LeftButton)

    assert len(asked) == 1 and asked[0].stored == revision
    assert editor.current_dossier().title == "Version de la collègue"
    titles = sorted(s.title for s in svc.list_dossiers(database))
    assert titles == ["Ma version (ma copie)", "Version de la collègue"]  # nothing lost


def test_an_event_at_the_editor_revision_shows_no_notice(qtbot, shell_context, make_editor, database, example_id):
    editor = make_editor(example_id)
    shell_context.receive_team_event(DossierEvent(example_id, 1, "modification", "alice"))  # a lock, say
    shell_context.receive_team_event(DossierEvent(example_id + 1, 7, "modification", "alice"))  # another dossier
    assert not editor.elsewhere_notice.isVisible() and editor.changed_elsewhere is None
