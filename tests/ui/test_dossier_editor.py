"""The dossier editor: create, live obligations, undo, sans objet, review as head.

Texts typed with qtbot.keyClicks stay ASCII: QTest aborts on some accented keys offscreen.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.checklist import ItemStatus
from achatsdesk.domain.dossier import Dossier, DossierStatus
from achatsdesk.domain.formatting import format_money
from achatsdesk.domain.obligations import ObligationStatus
from achatsdesk.services import dossiers as svc
from tests.dossier_edits import answer


def type_amount(qtbot, editor, digits: str) -> None:
    field = editor.fields.amount
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, digits)
    field.clearFocus()
    field.editingFinished.emit()


def test_create_a_dossier_in_the_editor(qtbot, shell_context, make_editor, database):
    dossier_id = svc.create_dossier(database, Dossier("Nouveau dossier"))
    editor = make_editor(dossier_id)
    editor.fields.title.clear()
    qtbot.keyClicks(editor.fields.title, "Entretien des espaces verts")
    editor.fields.buyer_kind.setCurrentIndex(editor.fields.buyer_kind.findData("etat"))
    editor.fields.buyer_kind.activated.emit(editor.fields.buyer_kind.currentIndex())
    editor.fields.add_cpv("77300000-3")
    type_amount(qtbot, editor, "1200000")
    assert editor.fields.amount.text() == format_money(1_200_000)
    editor.fields.launch.line.setText("15/09/2026")
    editor.fields.launch.commit_text()
    editor.fields.place.set_insee("95127")
    editor.fields.place.commune_selected.emit("95127")
    assert "Enregistré" not in editor.save_status.text()  # not saved yet: debounced
    qtbot.waitUntil(lambda: not editor.autosaver.dirty, timeout=3000)  # the autosave fires by itself
    stored = svc.get_dossier(database, dossier_id).dossier
    assert (stored.title, stored.buyer.kind.value, stored.cpv) == ("Entretien des espaces verts", "etat", ["77300000-3"])
    assert stored.estimated_amount_eur == 1_200_000 and stored.launch_date == date(2026, 9, 15)
    assert stored.place_insee == "95127"
    assert editor.save_status.text().startswith("Enregistré")
    assert "77300000-3" in editor.fields.cpv_list.item(0).text() and "(principal)" in editor.fields.cpv_list.item(0).text()


def test_obligations_change_when_the_amount_crosses_the_threshold(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    panel = editor.obligations
    assert panel.statuses()["social-execution-condition"] == ObligationStatus.OBLIGATOIRE
    type_amount(qtbot, editor, "215999")
    assert panel.statuses()["social-execution-condition"] == ObligationStatus.A_ENVISAGER
    assert "mapa" in editor.analysis.assessment.procedure.id
    type_amount(qtbot, editor, "216000")
    assert panel.statuses()["social-execution-condition"] == ObligationStatus.OBLIGATOIRE
    row = panel.rows["social-execution-condition"]
    assert row.chip.text() == "Obligatoire"
    qtbot.mouseClick(row.title, Qt.MouseButton.LeftButton)  # unfolds and goes to the answering item
    assert not row.details.isHidden() and format_money(216_000) in row.details.text()
    assert editor.current_step() == "social"


def test_undo_and_redo_an_edit(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    original = editor.fields.title.text()
    editor.fields.title.setFocus()
    qtbot.keyClicks(editor.fields.title, " 2027")
    assert editor.current_dossier().title == original + " 2027"
    editor.undo_action.trigger()  # the whole typed value at once
    assert editor.current_dossier().title == original and editor.fields.title.text() == original
    editor.redo_action.trigger()
    assert editor.fields.title.text() == original + " 2027"
    editor.undo_action.trigger()
    editor.save_now()
    assert svc.get_dossier(editor.context.database, example_id).dossier.title == original


def test_sans_objet_with_and_without_justification(qtbot, make_editor, example_id, database):
    editor = make_editor(example_id)
    editor.nav.setCurrentRow(3)
    row = editor.pages["environnement"].rows["env-condition"]
    assert editor.step_label("environnement").startswith("Considérations environnementales 0/")
    row.status.setCurrentIndex(row.status.findData("sans_objet"))
    assert "justification" in row.error.text() and row.error.isVisibleTo(editor)
    assert "env-condition" not in editor.current_dossier().items  # refused: nothing recorded
    qtbot.keyClicks(row.justification, "Prestation faite hors site")
    assert row.error.text() == ""
    assert editor.current_dossier().items["env-condition"].status == ItemStatus.SANS_OBJET
    assert editor.step_label("environnement").startswith("Considérations environnementales 1/")
    # the social condition also needs one of the law's exemption cases
    social = editor.pages["social"].rows["social-condition"]
    social.status.setCurrentIndex(social.status.findData("sans_objet"))
    qtbot.keyClicks(social.justification, "Aucun lien avec l'objet du contrat")
    assert "cas de dispense" in social.error.text()
    social.exemption.setCurrentIndex(1)
    assert editor.current_dossier().items["social-condition"].exemption_case is not None
    # a non-mandatory item needs no reason
    other = editor.pages["social"].rows["social-accessibility"]
    other.status.setCurrentIndex(other.status.findData("sans_objet"))
    assert editor.current_dossier().items["social-accessibility"].status == ItemStatus.SANS_OBJET
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.items["env-condition"].justification == "Prestation faite hors site"


def test_review_as_head(qtbot, make_editor, example_id, database, monkeypatch):
    answer(database, example_id, "env-condition", "fait")
    svc.set_status(database, example_id, "a_relire")
    editor = make_editor(example_id, review_mode=True)
    assert editor.fields.title.isReadOnly() and not editor.fields.nature.isEnabled()
    row = editor.pages["environnement"].rows["env-condition"]
    assert not row.status.isEnabled() and not row.comment.isReadOnly()
    qtbot.keyClicks(row.comment, "Indiquer comment mesurer")
    shown = []
    monkeypatch.setattr("achatsdesk.ui.errors.show_exception", lambda _p, exc: shown.append(exc))
    bar = editor.review_bar
    qtbot.keyClicks(bar.reviewer, "Responsable des achats")
    qtbot.mouseClick(bar.rework_button, Qt.MouseButton.LeftButton)  # no comment: refused
    assert shown and "reprendre" in shown[0].user_message
    qtbot.keyClicks(bar.comment, "Ajouter la clause d'insertion")
    qtbot.mouseClick(bar.rework_button, Qt.MouseButton.LeftButton)
    bar.comment.setText("Tout est en ordre")
    editor.confirm_validation = lambda points: True  # open mandatory items: the head confirms
    qtbot.mouseClick(bar.validate_button, Qt.MouseButton.LeftButton)
    stored = svc.get_dossier(database, example_id).dossier
    assert stored.status == DossierStatus.VALIDE
    assert [(r.decision.value, r.reviewer) for r in stored.reviews] == [
        ("a_reprendre", "Responsable des achats"), ("valide", "Responsable des achats")]
    assert stored.items["env-condition"].comment == "Indiquer comment mesurer"
    assert stored.items["env-condition"].status == ItemStatus.FAIT  # the buyer's answer untouched
    assert "Validé par Responsable des achats" in bar.history.text()


def test_extension_api(qtbot, make_editor, example_id):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    editor = make_editor(example_id)
    assert editor.dossier_id == example_id and editor.context is not None
    seen = []
    editor.dossier_changed.connect(seen.append)
    label = QLabel("extension")
    editor.add_step_widget("social", label)
    action = QAction("Exporter l'annexe Word", editor)
    editor.add_action(action)
    assert action in editor.toolbar.actions() and label.parent() is not None
    editor.fields.duration.setValue(36)
    assert seen and seen[-1].duration_months == 36


def test_autosave_status_tells_how_long_ago(qtbot):
    from datetime import datetime, timedelta

    from achatsdesk.ui.dossier.autosave import Autosaver

    now = [datetime(2026, 12, 1, 10, 0, 0)]
    saves = []
    saver = Autosaver(lambda: saves.append(now[0]), clock=lambda: now[0])
    saver.schedule()
    assert saver.status_text() == "Modifications en cours d'enregistrement…" and saves == []
    saver.flush()
    assert saves == [datetime(2026, 12, 1, 10, 0, 0)] and saver.status_text() == "Enregistré à l'instant"
    now[0] += timedelta(seconds=3)
    assert saver.status_text() == "Enregistré il y a 3 s"
    now[0] += timedelta(minutes=5)
    assert saver.status_text() == "Enregistré à 10:00"
    saver.flush()  # nothing changed: no second save
    assert len(saves) == 1


def test_autosave_never_erases_clauses_another_writer_saved(qtbot, make_editor, example_id, database):
    """Another window saves a clause while this editor has edits: the stale save is refused,
    the buyer keeps a copy of their version, and the editor shows the other writer's clause."""
    from achatsdesk.domain.dossier import ClauseSelection
    from tests.dossier_edits import edit

    editor = make_editor(example_id)
    edit(database, example_id, lambda d: d.clauses.append(ClauseSelection("insertion-heures", "1", {"heures": 1600})))
    asked = []
    editor.choose_after_stale_save = lambda exc: asked.append(exc) or "copy"
    editor.fields.duration.setValue(36)
    editor.save_now()
    assert len(asked) == 1 and "autre fenêtre" in asked[0].user_message
    stored = svc.get_dossier(database, example_id).dossier
    assert stored.duration_months != 36 and [c.clause_id for c in stored.clauses] == ["insertion-heures"]
    assert [c.clause_id for c in editor.current_dossier().clauses] == ["insertion-heures"]
    copies = [s for s in svc.list_dossiers(database) if s.title.endswith("(ma copie)")]
    assert len(copies) == 1 and svc.get_dossier(database, copies[0].id).dossier.duration_months == 36
    assert not editor.autosaver.failed and "nouveau dossier" in editor.status_banner.text()
    editor.fields.duration.setValue(24)  # the next save starts from the reloaded revision
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.duration_months == 24 and len(asked) == 1


def test_reload_after_a_stale_save_shows_the_stored_version(qtbot, make_editor, example_id, database):
    from tests.dossier_edits import edit

    editor = make_editor(example_id)
    edit(database, example_id, lambda d: setattr(d, "title", "Titre écrit ailleurs"))
    editor.choose_after_stale_save = lambda exc: "reload"
    editor.fields.duration.setValue(36)
    editor.save_now()
    assert editor.current_dossier().title == "Titre écrit ailleurs" and editor.fields.title.text() == "Titre écrit ailleurs"
    assert not editor.undo_stack.canUndo() and svc.count_dossiers(database) == 1


@pytest.mark.parametrize(("button", "expected"), [("Recharger", "reload"), ("Garder une copie", "copy")])
def test_the_stale_save_question_offers_reload_or_a_copy(qtbot, make_editor, example_id, button, expected):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from achatsdesk.errors import StaleDossierError

    editor = make_editor(example_id)
    seen = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)
    assert editor.choose_after_stale_save(StaleDossierError(example_id, 1, 2)) == expected
    assert seen and "autre fenêtre" in seen[0]


def test_typing_in_a_field_issues_no_sql_until_the_autosave(qtbot, make_editor, example_id, database):
    """The editor edits its own copy: a keystroke never reaches the database, the autosave does."""
    from PySide6.QtCore import QThreadPool
    from sqlalchemy import event

    editor = make_editor(example_id)
    editor.show()
    QThreadPool.globalInstance().waitForDone(10_000)  # the lever's count of local suppliers, started on opening
    qtbot.wait(50)
    statements = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        qtbot.keyClicks(editor.fields.title, " rue")
        qtbot.wait(50)  # let queued signals run
        QThreadPool.globalInstance().waitForDone(10_000)  # and any background work a keystroke would start
        assert editor.current_dossier().title.endswith(" rue") and editor.autosaver.dirty
        assert statements == []
        editor.save_now()
        assert statements, "the autosave writes the dossier"
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert svc.get_dossier(database, example_id).dossier.title.endswith(" rue")


def test_a_failed_save_keeps_the_edits_and_says_so(qtbot):
    from achatsdesk.errors import StorageError
    from achatsdesk.ui.dossier.autosave import Autosaver

    attempts = []

    def save():
        attempts.append(1)
        if len(attempts) == 1:
            raise StorageError("La base de données n'a pas pu être écrite.")

    saver = Autosaver(save)
    saver.schedule()
    saver.flush()
    assert saver.dirty and "Enregistrement impossible" in saver.status_text()
    saver.flush()
    assert not saver.dirty and saver.status_text() == "Enregistré à l'instant" and len(attempts) == 2


def test_clause_edits_through_the_editor_are_undoable_and_saved(qtbot, make_editor, example_id, database):
    from achatsdesk.domain.dossier import ClauseSelection

    editor = make_editor(example_id)
    editor.apply_edit("Ajouter une clause", lambda d: d.clauses.append(ClauseSelection("condition-env", "1", {})))
    assert [c.clause_id for c in editor.current_dossier().clauses] == ["condition-env"]
    editor.save_now()
    assert [c.clause_id for c in svc.get_dossier(database, example_id).dossier.clauses] == ["condition-env"]
    editor.undo_action.trigger()
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.clauses == []


def test_the_obligations_panel_updates_its_rows_in_place(qtbot):
    """A new amount changes the explanations, not the widgets: rows are diffed by obligation id."""
    from decimal import Decimal

    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.dossier_rules import analyse
    from achatsdesk.ui.dossier.obligations_panel import ObligationsPanel

    panel = ObligationsPanel()
    qtbot.addWidget(panel)
    panel.show_assessment(analyse(Dossier("Essai (fictif)", estimated_amount_eur=Decimal(150_000))).assessment)
    before = dict(panel.rows)
    assert before
    for amount in (150_001, 150_012, 150_123):
        assessment = analyse(Dossier("Essai (fictif)", estimated_amount_eur=Decimal(amount))).assessment
        panel.show_assessment(assessment)
        assert [row.obligation for row in panel.rows.values()] == list(assessment.obligations)
        kept = [i for i in panel.rows if i in before]
        assert kept and all(panel.rows[i] is before[i] for i in kept)
    big = analyse(Dossier("Essai (fictif)", estimated_amount_eur=Decimal(90_000_000))).assessment
    panel.show_assessment(big)
    assert list(panel.rows) == [o.id for o in big.obligations]
    layout_order = [panel._rows_box.itemAt(i).widget() for i in range(panel._rows_box.count())]
    assert layout_order == list(panel.rows.values())
    assert all(panel.rows[o.id].obligation == o for o in big.obligations)
