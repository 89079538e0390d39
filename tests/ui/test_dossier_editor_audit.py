"""Editor fixes from the audit: French amounts with cents, back to draft after an edit of a
validated dossier, Ctrl+Z from another field, autosave during continuous typing,
confirmation before validating an unfinished dossier, readable summary and amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.errors import ValidationError
from achatsdesk.services import dossiers as svc


# --- item 1: amounts typed or pasted the French way ----------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("1 200 000,00 €", Decimal("1200000.00")),
    ("1\u202f200\u202f000,50\u00a0€\u00a0HT", Decimal("1200000.50")),
    ("215999.99", Decimal("215999.99")),
    ("216 000 € HT", Decimal("216000")),
    ("  1200000 ", Decimal("1200000")),
    ("", None),
])
def test_parse_amount_reads_french_amounts(text, expected):
    from achatsdesk.ui.dossier.amount_edit import parse_amount

    assert parse_amount(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("-5000", "négatif"),
    ("+5000", "signe"),
    ("12abc", "chiffres"),
    ("1.200.000", "chiffres"),
    ("12,345", "centime"),
])
def test_parse_amount_refuses_signs_and_letters_in_french(text, words):
    from achatsdesk.ui.dossier.amount_edit import parse_amount

    with pytest.raises(ValidationError, match=words):
        parse_amount(text)


def test_pasting_an_amount_with_cents_keeps_the_cents(qtbot, make_editor, example_id, database):
    editor = make_editor(example_id)
    field = editor.fields.amount
    field.setFocus()
    field.selectAll()
    field.insert("215 999,99 €")  # as a paste: one edit
    field.textEdited.emit(field.text())
    assert editor.current_dossier().estimated_amount_eur == Decimal("215999.99")
    assert editor.analysis.assessment.procedure.id == "mapa"
    field.editingFinished.emit()
    assert field.text() == "215\u202f999,99\u00a0€\u00a0HT"
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.estimated_amount_eur == Decimal("215999.99")


def test_a_wrong_amount_is_refused_with_a_message_and_changes_nothing(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    field = editor.fields.amount
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "-5000")
    assert editor.current_dossier().estimated_amount_eur == Decimal(1_200_000)
    assert "négatif" in editor.fields.amount_error.text() and not editor.fields.amount_error.isHidden()
    field.editingFinished.emit()
    assert field.text() == "-5000"  # left as typed, to be corrected
    field.selectAll()
    qtbot.keyClicks(field, "100000")
    assert editor.fields.amount_error.isHidden()
    assert editor.current_dossier().estimated_amount_eur == Decimal(100_000)


def test_lot_amounts_with_cents(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    editor.lots.add_lot()
    editor.lots.table.item(0, 2).setText("215 999,99")
    assert editor.current_dossier().lots[0].amount_eur == Decimal("215999.99")
    assert editor.analysis.assessment.procedure.id == "mapa"
    editor.lots.table.item(0, 2).setText("abc")  # refused: the lot keeps its amount
    assert editor.current_dossier().lots[0].amount_eur == Decimal("215999.99")
    assert "chiffres" in editor.lots.error.text()


# --- item 5: an edit sends a validated dossier back to draft ----------------------------
@pytest.mark.parametrize("status", ["valide", "a_relire"])
def test_editing_a_validated_dossier_sends_it_back_to_draft(qtbot, make_editor, example_id, database, status):
    if status == "valide":
        svc.record_review(database, example_id, "valide", "Chef de service (fictif)")
    else:
        svc.set_status(database, example_id, status)
    editor = make_editor(example_id)
    field = editor.fields.amount
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "100000")
    assert editor.current_dossier().status == DossierStatus.BROUILLON
    assert not editor.status_banner.isHidden() and "brouillon" in editor.status_banner.text()
    editor.undo_action.trigger()  # the content comes back, the decision does not
    assert editor.current_dossier().status == DossierStatus.BROUILLON
    editor.save_now()
    stored = svc.get_dossier(database, example_id).dossier
    assert stored.status == DossierStatus.BROUILLON
    assert [r.decision.value for r in stored.reviews] == (["valide"] if status == "valide" else [])


def test_review_comments_keep_a_dossier_under_review(qtbot, make_editor, example_id, database):
    svc.set_status(database, example_id, "a_relire")
    editor = make_editor(example_id, review_mode=True)
    row = editor.pages["environnement"].rows["env-condition"]
    qtbot.keyClicks(row.comment, "Preciser")
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.A_RELIRE


# --- Q1: Ctrl+Z reaches the dossier from another field ------------------------------------
def activate(qtbot, editor):
    from PySide6.QtWidgets import QApplication

    editor.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)


def test_ctrl_z_from_another_field_undoes_the_dossier_edit(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    activate(qtbot, editor)
    field = editor.fields.amount
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "300000")
    field.editingFinished.emit()
    assert editor.current_dossier().estimated_amount_eur == 300_000
    editor.fields.duration.setFocus()
    qtbot.keyClick(editor.fields.duration, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_dossier().estimated_amount_eur == 1_200_000
    qtbot.keyClick(editor.fields.duration, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_dossier().estimated_amount_eur == 300_000


def test_ctrl_z_in_a_field_with_its_own_typing_undoes_there_first(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    activate(qtbot, editor)
    editor.fields.duration.setValue(36)  # a dossier edit
    line = editor.fields.reference
    line.setFocus()
    qtbot.keyClicks(line, "ABC")
    assert line.isUndoAvailable()
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.current_dossier().duration_months == 36  # the field's own typing came first


# --- Q2: autosave while typing without pause -----------------------------------------------
def test_continuous_typing_is_saved_at_least_every_few_seconds(qtbot):
    from achatsdesk.ui.dossier.autosave import Autosaver

    saves = []
    saver = Autosaver(lambda: saves.append(1), delay_ms=300, max_wait_ms=600)
    for _ in range(12):  # an edit every 100 ms for 1.2 s: the 300 ms pause never comes
        saver.schedule()
        qtbot.wait(100)
    assert saves, "never saved while typing"


# --- Q4: validating an unfinished dossier asks first -----------------------------------------
def test_validating_with_open_mandatory_items_asks_for_confirmation(qtbot, make_editor, example_id, database, monkeypatch):
    svc.set_status(database, example_id, "a_relire")
    editor = make_editor(example_id, review_mode=True)
    asked = []
    editor.confirm_validation = lambda points: asked.append(points) or False
    editor.review_bar.reviewer.setText("Chef de service (fictif)")
    qtbot.mouseClick(editor.review_bar.validate_button, Qt.MouseButton.LeftButton)
    assert asked and any("Condition d'exécution environnementale" in p or "obligatoire" in p for p in asked[0])
    assert any("clause" in p for p in asked[0])
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.A_RELIRE  # refused: nothing recorded
    editor.confirm_validation = lambda points: True
    shown = []
    monkeypatch.setattr("achatsdesk.ui.errors.show_exception", lambda parent, exc: shown.append(exc))  # the one error path
    qtbot.mouseClick(editor.review_bar.validate_button, Qt.MouseButton.LeftButton)  # confirmed, but no reason given
    assert shown and "commentaire" in shown[0].user_message
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.A_RELIRE
    editor.review_bar.comment.setText("Pièces complétées hors de l'application (fictif)")
    qtbot.mouseClick(editor.review_bar.validate_button, Qt.MouseButton.LeftButton)
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.VALIDE


# --- Q8: the relecture summary and the items' status boxes stay in sight ----------------------
@pytest.mark.parametrize("width", [900, 1200])
def test_relecture_summary_and_status_boxes_stay_within_the_visible_width(qtbot, make_editor, example_id, width):
    editor = make_editor(example_id, width=width)
    editor.nav.setCurrentRow(6)
    qtbot.wait(50)
    scroll = editor._scrolls["relecture"]
    visible = scroll.viewport().width()
    page = editor.pages["relecture"]
    assert page.body.minimumSizeHint().width() <= visible  # our own content never asks for more
    summary = editor.summary
    assert summary.mapTo(scroll.viewport(), summary.rect().topRight()).x() <= visible
    assert page.rows
    for row in page.rows.values():
        right = row.status.mapTo(scroll.viewport(), row.status.rect().topRight()).x()
        assert right <= visible, row.item.id


# --- Q9: amounts never broken across lines in the obligations panel -------------------------
def test_obligation_amounts_do_not_break_across_lines(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    details = editor.obligations.rows["social-execution-condition"].details.text()
    assert "white-space:nowrap" in details and "1\u202f200\u202f000" in details
    assert "nowrap" in editor.obligations.procedure.text()
