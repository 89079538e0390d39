"""Corbeille, the Fichier menu, files given on the command line or dropped on the window (issue 12)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from achatsdesk.domain.dossier import Dossier, DossierStatus
from achatsdesk.services import dossiers as svc
from achatsdesk.services import trash
from achatsdesk.services.dossier_exchange import export_dossier
from achatsdesk.ui.dossier.dossiers_page import DossiersPage


def _page(qtbot, context):
    page = DossiersPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def test_deleting_names_the_dossier_defaults_to_no_and_the_corbeille_restores_it(qtbot, shell_context, database,
                                                                                  monkeypatch):
    dossier_id = svc.create_dossier(database, Dossier("Entretien des espaces verts (fictif)"))
    svc.create_dossier(database, Dossier("Autre dossier"))
    page = _page(qtbot, shell_context)
    asked = []

    def answer(box, reply):
        asked.append((box.text(), box.defaultButton() is box.button(QMessageBox.StandardButton.No),
                      box.button(QMessageBox.StandardButton.No).text()))
        return reply

    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer(box, QMessageBox.StandardButton.No))
    page.delete_dossier(dossier_id)
    text, default_no, no_label = asked[0]
    assert "« Entretien des espaces verts (fictif) »" in text and "corbeille" in text
    assert default_no and no_label == "Non"
    assert page.model.rowCount() == 2  # "Non": nothing moved

    monkeypatch.setattr(QMessageBox, "exec", lambda box: answer(box, QMessageBox.StandardButton.Yes))
    page.delete_dossier(dossier_id)
    assert [page.model.row(r).title for r in range(page.model.rowCount())] == ["Autre dossier"]
    assert svc.count_dossiers(database) == 1
    assert "mis à la corbeille" in page.status_text()

    dialog = page.open_trash()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.list.item(0).text().startswith("Entretien des espaces verts (fictif)")
    dialog.list.setCurrentRow(0)
    dialog.restore_button.click()
    assert page.model.rowCount() == 2
    assert dialog.list.item(0).text() == "La corbeille est vide."
    restored = svc.get_dossier(database, dossier_id).dossier
    assert restored.title == "Entretien des espaces verts (fictif)"


def test_the_corbeille_is_emptied_after_30_days(database):
    old = svc.create_dossier(database, Dossier("Ancien"))
    recent = svc.create_dossier(database, Dossier("Récent"))
    now = datetime(2026, 12, 1, 10, 0)
    trash.move_to_trash(database, old, now - timedelta(days=31))
    trash.move_to_trash(database, recent, now - timedelta(days=29))
    assert [t.title for t in trash.list_trash(database)] == ["Récent", "Ancien"]
    assert trash.empty_expired(database, now) == 1
    assert [t.title for t in trash.list_trash(database)] == ["Récent"]
    assert svc.list_dossiers(database) == []
    trash.restore(database, recent)
    assert [s.title for s in svc.list_dossiers(database)] == ["Récent"]


def test_the_fichier_menu_and_ctrl_n_from_every_section(qtbot, main_window, database):
    labels = [a.text().replace("&", "") for a in main_window.file_menu.actions() if not a.isSeparator()]
    assert labels == ["Nouveau dossier", "Ouvrir un fichier .achatsdesk…", "Récents", "Importer…", "Exporter…",
                      "Quitter"]
    main_window.show_section("catalogue")
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=2000)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_section() == "dossiers"
    assert main_window.page("dossiers").editor is not None
    assert svc.count_dossiers(database) == 1


def test_a_file_given_on_the_command_line_is_imported_then_a_return_merged(qtbot, main_window, database, tmp_path,
                                                                           monkeypatch):
    from achatsdesk.app import _open_files_at_start, _parse

    assert _parse(["achatsdesk", str(tmp_path / "a.achatsdesk")]).files == [str(tmp_path / "a.achatsdesk")]
    dossier_id = svc.create_dossier(database, Dossier("Voirie (fictif)"))
    sent = export_dossier(database, dossier_id, tmp_path / "envoi.achatsdesk")
    svc.delete_dossier(database, dossier_id)  # as if it came from another machine

    _open_files_at_start(main_window, [str(sent)])
    qtbot.waitUntil(lambda: svc.count_dossiers(database) == 1, timeout=3000)
    local_id = svc.list_dossiers(database)[0].id
    assert main_window.file_actions.recent_files()[0] == sent.resolve()

    # The head's return of that dossier, opened the same way (a double-click): merged, no copy.
    svc.record_review(database, local_id, "a_reprendre", "M. Chef", "Revoir le lot 2")
    returned = export_dossier(database, local_id, tmp_path / "retour.achatsdesk")
    with database.unit_of_work() as session:  # back to the state before the decision, here
        from achatsdesk.storage.models.dossiers import DossierReviewRow

        session.query(DossierReviewRow).delete()
    svc.set_status(database, local_id, "brouillon")
    monkeypatch.setattr(DossiersPage, "confirm_merge", lambda self, preview: True)
    _open_files_at_start(main_window, [str(returned)])
    qtbot.waitUntil(lambda: svc.get_dossier(database, local_id).dossier.status == DossierStatus.A_REPRENDRE,
                    timeout=3000)
    assert svc.count_dossiers(database) == 1


def test_a_file_dropped_on_the_window_is_imported(qtbot, main_window, database, tmp_path):
    dossier_id = svc.create_dossier(database, Dossier("Cantine (fictif)"))
    path = export_dossier(database, dossier_id, tmp_path / "cantine.achatsdesk")
    svc.delete_dossier(database, dossier_id)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert main_window.acceptDrops()
    # Qt delivers a drop only inside a real drag; the window's filter gets it as it would.
    assert main_window.file_actions.eventFilter(main_window, event) and event.isAccepted()
    assert [s.title for s in svc.list_dossiers(database)] == ["Cantine (fictif)"]
