"""Input that cannot slip (issue 12): the wheel, out-of-range dates, empty lots, lot CPV codes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QTableWidgetItem

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.formatting import format_money
from achatsdesk.services import dossiers as svc
from achatsdesk.ui.widgets.date_field import parse_date_text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


def _example(database) -> int:
    return svc.create_dossier(database, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))


def _wheel(widget, steps: int = 3) -> None:
    centre = QPointF(widget.rect().center())
    for _ in range(steps):
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)


def _value(widget):
    return widget.currentIndex() if isinstance(widget, QComboBox) else widget.text()


def test_the_wheel_changes_no_field_of_the_editor_unless_it_has_the_focus(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    guarded = [w for w in editor.findChildren(QAbstractSpinBox) + editor.findChildren(QComboBox) if w.isEnabled()]
    assert len(guarded) >= 3  # buyer kind, nature, duration at least
    for row in range(editor.nav.count()):
        editor.nav.setCurrentRow(row)
        for widget in guarded:
            before = _value(widget)
            _wheel(widget)
            assert _value(widget) == before, f"{widget.accessibleName()} changed under the wheel"
    assert editor.undo_stack.count() == 0  # nothing was edited

    # Once clicked (focused), a field takes the wheel as usual.
    editor.nav.setCurrentRow(0)
    editor.activateWindow()
    duration = editor.fields.duration
    duration.setFocus()
    qtbot.waitUntil(duration.hasFocus, timeout=2000)
    before = duration.value()
    _wheel(duration, 1)
    assert duration.value() != before


def test_a_guard_installed_after_the_first_paint_also_guards_the_fields_shown_before(qtbot, qapp, monkeypatch):
    """app.py installs the guard once the window has painted: the fields polished before then are guarded too."""
    from PySide6.QtWidgets import QSpinBox, QVBoxLayout, QWidget

    from achatsdesk.ui.widgets import wheel_guard

    installed = wheel_guard._installed
    qapp.removeEventFilter(installed)  # as before app.py installs it
    monkeypatch.setattr(wheel_guard, "_installed", None)
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    combo, spin = QComboBox(), QSpinBox()
    combo.addItems(["un", "deux", "trois"])
    for widget in (combo, spin):
        layout.addWidget(widget)
    host.show()
    qtbot.waitExposed(host)
    assert combo.focusPolicy() == Qt.FocusPolicy.WheelFocus  # polished with no guard: the wheel would take it
    _wheel(combo, 1)
    assert combo.currentIndex() == 1  # unguarded, the wheel changed it

    guard = wheel_guard.install_wheel_guard(qapp)
    try:
        assert combo.focusPolicy() == spin.focusPolicy() == Qt.FocusPolicy.StrongFocus
        _wheel(combo)
        _wheel(spin)
        assert combo.currentIndex() == 1 and spin.value() == 0
    finally:  # the other tests keep the guard the fixture installed
        qapp.removeEventFilter(guard)
        qapp.installEventFilter(installed)


def test_a_1990_launch_date_is_refused_in_french_and_the_previous_date_kept(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    launch = editor.fields.launch
    assert launch.value() == date(2026, 12, 1)
    launch.line.setText("01/01/1990")
    launch.commit_text()
    assert "hors de la période acceptée" in launch.message.text() and not launch.message.isHidden()
    assert launch.value() == date(2026, 12, 1) and launch.line.text() == "01/12/2026"
    assert editor.current_dossier().launch_date == date(2026, 12, 1)
    assert editor.undo_stack.count() == 0
    launch.line.setText("abc")
    launch.commit_text()
    assert "JJ/MM/AAAA" in launch.message.text() and launch.value() == date(2026, 12, 1)


def test_typing_after_a_click_in_an_empty_date_field_gives_the_typed_date(qtbot, make_editor, database):
    editor = make_editor(svc.create_dossier(database, Dossier("Sans date")))
    launch = editor.fields.launch
    assert launch.line.text() == ""  # no "Non renseignée" text to type after: a placeholder
    qtbot.mouseClick(launch.line, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(launch.line, "01/12/2026")
    qtbot.keyClick(launch.line, Qt.Key.Key_Return)
    assert launch.value() == date(2026, 12, 1)
    assert editor.current_dossier().launch_date == date(2026, 12, 1)


def test_the_calendar_opens_on_today_or_on_the_fields_date(qtbot, make_editor, database):
    editor = make_editor(svc.create_dossier(database, Dossier("Sans date")))
    launch = editor.fields.launch
    launch.button.menu().aboutToShow.emit()
    assert launch.calendar_page() == (date.today().year, date.today().month)
    launch.set_value(date(2027, 3, 15))
    launch.button.menu().aboutToShow.emit()
    assert launch.calendar_page() == (2027, 3)
    launch.calendar.clicked.emit(launch.calendar.selectedDate().addDays(1))
    assert editor.current_dossier().launch_date == date(2027, 3, 16)


def test_parse_date_text_bounds():
    assert parse_date_text("15/06/2015") == date(2015, 6, 15)
    assert parse_date_text("") is None
    for wrong in ("31/12/2014", "01/01/2041", "32/01/2026"):
        try:
            parse_date_text(wrong)
        except ValueError as exc:
            assert "date" in str(exc)
        else:
            raise AssertionError(wrong)


def test_adding_an_empty_lot_keeps_the_estimate_and_the_procedure(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    procedure = editor.analysis.assessment.procedure.id
    statuses = editor.obligations.statuses()
    editor.lots.add_lot()
    dossier = editor.current_dossier()
    assert len(dossier.lots) == 1 and dossier.amount_eur == Decimal(1_200_000)
    assert editor.analysis.assessment.procedure.id == procedure
    # Only the allotment obligation follows the new lot; nothing that depends on the amount moves.
    assert {k: v for k, v in editor.obligations.statuses().items() if k != "lots"} == \
        {k: v for k, v in statuses.items() if k != "lots"}
    assert "montant estimé" in editor.obligations.amount_basis.text()
    assert "aucun montant de lot" in editor.obligations.amount_basis.text()
    assert "reste retenu" in editor.lots.total.text()

    editor.lots.table.item(0, 2).setText("700000")
    dossier = editor.current_dossier()
    assert dossier.amount_eur == Decimal(700_000) and dossier.estimated_amount_eur == Decimal(1_200_000)
    assert "somme des montants des lots" in editor.obligations.amount_basis.text()
    assert "somme des montants des lots" in editor.fields.amount_basis.text()
    assert editor.lots.table.item(0, 2).text() == format_money(700_000) == "700\u202f000\u00a0€\u00a0HT"


def test_amount_fields_show_french_format(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    assert editor.fields.amount.text() == "1\u202f200\u202f000\u00a0€\u00a0HT"


def test_a_lot_cpv_comes_only_from_the_picker(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    editor.lots.add_lot()
    cell = editor.lots.table.item(0, 1)
    assert not cell.flags() & Qt.ItemFlag.ItemIsEditable
    cell.setText("abc")  # even a programmatic change of the cell is not read as a code
    assert editor.current_dossier().lots[0].cpv is None
    asked = []
    editor.lots.ask_cpv = lambda initial: asked.append(initial) or "90911200-8"
    editor.lots.table.cellDoubleClicked.emit(0, 1)
    assert asked == [""]
    assert editor.current_dossier().lots[0].cpv == "90911200-8"
    assert editor.lots.table.item(0, 1).text().startswith("90911200-8 — ")
    assert isinstance(editor.lots.table.item(0, 0), QTableWidgetItem)


def test_the_lot_cpv_picker_is_the_cpv_picker_dialog(qtbot, make_editor, database, monkeypatch):
    from achatsdesk.ui.widgets import cpv_picker

    editor = make_editor(_example(database))
    editor.lots.add_lot()
    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        dialog.picker.search.setText("nettoyage de bâtiments")
        dialog.picker.refresh()
        return True

    monkeypatch.setattr(cpv_picker.CpvPickerDialog, "exec", fake_exec)
    editor.lots.table.setCurrentCell(0, 0)
    editor.lots.cpv_button.click()
    assert len(shown) == 1
    assert editor.current_dossier().lots[0].cpv == shown[0].code() and shown[0].code()


def test_the_undo_label_is_short(qtbot, make_editor, database):
    editor = make_editor(_example(database))
    assert editor.undo_action.text() == "Annuler"
    editor.lots.add_lot()
    assert editor.undo_action.text() == "Annuler : ajouter un lot"
    editor.undo_stack.undo()
    assert editor.redo_action.text() == "Rétablir : ajouter un lot" and editor.undo_action.text() == "Annuler"
