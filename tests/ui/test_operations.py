"""Every user action that can fail goes through ui/operations.py: one French dialog, logged once,
and what changed is announced on the ShellContext so that the other views refresh themselves."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import StorageError, ValidationError
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import dossiers as svc
from achatsdesk.ui import operations
from achatsdesk.ui.errors import GENERIC_MESSAGE
from achatsdesk.ui.operations import Changes


def _logged(caplog, text: str) -> int:
    """How many log records speak of this error (its message, or its traceback)."""
    return sum(1 for r in caplog.records
               if text in r.getMessage() or (r.exc_info and text in str(r.exc_info[1])))


def test_a_failing_service_in_three_sections_shows_one_french_dialog_each_logged_once(
        qtbot, main_window, database, monkeypatch, message_boxes, caplog):
    caplog.set_level(logging.INFO)
    svc.create_dossier(database, Dossier("Nettoyage des écoles (fictif)"))

    # Dossiers: duplicating fails with an unexpected error (no internal detail reaches the buyer).
    page = main_window.show_section("dossiers")
    page.refresh_list()  # created behind the page's back
    page.table.selectRow(0)
    monkeypatch.setattr(svc, "duplicate_dossier", lambda *_a: (_ for _ in ()).throw(RuntimeError("verrou interne 42")))
    page.duplicate_action.trigger()
    assert page.editor is None  # nothing opened

    # Catalogue ESS: the supplier's record cannot be read.
    from achatsdesk.services import catalogue

    catalogue_page = main_window.show_section("catalogue")
    monkeypatch.setattr(catalogue, "get_supplier", lambda *_a: (_ for _ in ()).throw(
        StorageError("La fiche de la structure est illisible.", hint="Relancez achatsdesk.")))
    catalogue_page.table.selectRow(1)

    # Bibliothèque de clauses: the copy is refused.
    from achatsdesk.ui.clauses import clauses_page

    library = main_window.show_section("clauses")
    library.table.selectRow(0)
    monkeypatch.setattr(clauses_page, "copy_clause", lambda *_a: (_ for _ in ()).throw(
        ValidationError("Cette clause ne peut pas être copiée.", hint="Choisissez une autre clause.")))
    library.copy_current()

    message_boxes.expect(3)
    assert [text for _title, text in message_boxes.shown] == [
        GENERIC_MESSAGE,
        "La fiche de la structure est illisible. Relancez achatsdesk.",
        "Cette clause ne peut pas être copiée. Choisissez une autre clause.",
    ]
    assert message_boxes.shown[0][0] == "Erreur inattendue"
    assert "verrou interne" not in message_boxes.shown[0][1]
    assert _logged(caplog, "verrou interne 42") == 1
    assert _logged(caplog, "La fiche de la structure est illisible.") == 1
    assert _logged(caplog, "Cette clause ne peut pas être copiée.") == 1


def test_an_operation_announces_what_changed_and_only_on_success(qtbot, shell_context, message_boxes):
    saved, lists, catalogue = [], [], []
    shell_context.dossier_saved.connect(saved.append)
    shell_context.shortlist_changed.connect(lists.append)
    shell_context.catalogue_changed.connect(lambda: catalogue.append(True))

    assert operations.run(shell_context, None, lambda: 7, changes=lambda value: Changes(dossier=value)) == 7
    assert operations.attempt(shell_context, None, lambda: None, changes=Changes(shortlist=3, catalogue=True))
    assert saved == [7] and lists == [3] and catalogue == [True]

    def refused():
        raise ValidationError("Nom déjà pris.", hint="Choisissez-en un autre.")

    assert not operations.attempt(shell_context, None, refused, changes=Changes(shortlist=4))
    message_boxes.expect(1)
    assert [text for _title, text in message_boxes.shown] == ["Nom déjà pris. Choisissez-en un autre."]
    assert lists == [3]  # a failed operation announces nothing


def test_a_list_filled_in_the_catalogue_refreshes_the_dossier_box(qtbot, main_window, database, message_boxes):
    """The box listens to the context: no view reaches another through the window."""
    list_id = shortlists.create_shortlist(database, "Liste du dossier (fictif)")
    dossier_id = svc.create_dossier(database, Dossier("Insertion (fictif)", place_insee="95127", shortlist_id=list_id))
    editor = main_window.show_section("dossiers").open_dossier(dossier_id)
    box = editor.shortlist_box
    assert box.model.rowCount() == 0
    catalogue_page = main_window.show_section("catalogue")
    catalogue_page.set_target_shortlist(list_id)
    catalogue_page.table.selectRow(0)
    qtbot.mouseClick(catalogue_page.detail.shortlist_button, Qt.MouseButton.LeftButton)
    assert box.model.rowCount() == 1  # refreshed at once, out of sight


def test_a_slow_operation_shows_its_progress_and_can_be_cancelled(qtbot, shell_context, monkeypatch, message_boxes):
    """On the task runner: a progress dialog with Annuler; cancelling shows no error dialog."""
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from achatsdesk.errors import Cancelled
    from achatsdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(TaskRunner, "synchronous", False)
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome, seen = [], []

    def work(control):
        for step in range(500):
            if control.cancelled():
                raise Cancelled("Import annulé : rien n'a changé.")
            control.progress(step, 500, "Lecture…")
            time.sleep(0.005)
        return "fini"

    operations.run_in_background(shell_context, parent, work, label="Import en cours…", cancellable=True,
                                 success=outcome.append, progress=lambda d, t, m: seen.append(d))
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and dialog.labelText() == "Import en cours…"
    qtbot.waitUntil(lambda: len(seen) > 3, timeout=5000)
    closed = []
    dialog.destroyed.connect(lambda: closed.append(True))
    from PySide6.QtWidgets import QPushButton

    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Annuler"
    cancel.click()
    qtbot.waitUntil(lambda: bool(closed), timeout=5000)  # the task stopped and its dialog went away
    assert max(seen) < 499  # it stopped early
    assert outcome == [] and message_boxes.shown == []  # cancelled: silent, nothing announced


def test_the_autosave_announces_the_saved_dossier(qtbot, make_editor, example_id, shell_context):
    saved = []
    shell_context.dossier_saved.connect(saved.append)
    editor = make_editor(example_id)
    qtbot.keyClicks(editor.fields.title, " (renouvellement)")
    assert saved == []  # typed, not yet saved
    editor.save_now()
    assert saved == [example_id]
    assert svc.get_dossier(shell_context.database, example_id).dossier.title.endswith(" (renouvellement)")
