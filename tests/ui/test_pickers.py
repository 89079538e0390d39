from __future__ import annotations

from achatsdesk.ui.widgets.commune_picker import CommunePicker
from achatsdesk.ui.widgets.cpv_picker import CpvPicker, CpvPickerDialog


def test_cpv_picker_searches_as_you_type(qtbot, shell_context) -> None:
    picker = CpvPicker(shell_context.reference)
    qtbot.addWidget(picker)
    assert picker.tree.topLevelItemCount() == 45  # the divisions when nothing is typed
    qtbot.keyClicks(picker.search, "nettoyage de batiments")
    qtbot.waitUntil(lambda: "90911200-8" in picker.result_codes()[:5], timeout=2000)
    with qtbot.waitSignal(picker.cpv_selected) as chosen:
        picker.tree.setCurrentItem(picker.tree.topLevelItem(picker.result_codes().index("90911200-8")))
        picker.search.returnPressed.emit()
    assert chosen.args == ["90911200-8"]


def test_cpv_picker_browses_the_hierarchy(qtbot, shell_context) -> None:
    picker = CpvPicker(shell_context.reference)
    qtbot.addWidget(picker)
    division = next(
        picker.tree.topLevelItem(i) for i in range(45) if picker.tree.topLevelItem(i).text(0) == "90000000-7"
    )
    division.setExpanded(True)
    assert division.childCount() > 0
    assert all(division.child(i).text(0).startswith("90") for i in range(division.childCount()))


def test_cpv_dialog_returns_the_chosen_code(qtbot, shell_context) -> None:
    dialog = CpvPickerDialog(shell_context.reference, initial="909112")
    qtbot.addWidget(dialog)
    assert dialog.code() == "90911200-8"


def test_commune_picker_by_name_and_postcode(qtbot, shell_context) -> None:
    picker = CommunePicker(shell_context.reference)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker, "cergy")
    assert picker.suggestions() and "95127" in picker.suggestions()[0]
    with qtbot.waitSignal(picker.commune_selected) as chosen:
        picker.choose_suggestion(0)
    assert chosen.args == ["95127"]
    assert picker.selected().name == "Cergy"

    picker.clear()
    qtbot.keyClicks(picker, "95000")
    joined = " ".join(picker.suggestions())
    assert "Cergy" in joined and "Pontoise" in joined
