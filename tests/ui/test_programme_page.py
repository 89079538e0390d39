"""The Programme section: load the fictitious example, filter, open a line's detail, create the
dossiers of two lines, and a second "Créer les dossiers" on the same lines creates nothing new."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from achatsdesk.paths import resources_dir
from achatsdesk.services.dossiers import list_dossiers

EXAMPLE = resources_dir().parent / "examples" / "programme-2027.csv"


def programme_page(main_window, qtbot):
    from PySide6.QtGui import QAction

    from achatsdesk.ui.programme.page import ProgrammePage

    action = next(a for a in main_window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+5"))
    assert action.text() == "Programme"
    action.trigger()
    page = main_window.page("programme")
    assert isinstance(page, ProgrammePage) and main_window.current_section() == "programme"
    return page


def test_load_filter_detail_and_create_dossiers_once(main_window, qtbot, database) -> None:
    page = programme_page(main_window, qtbot)
    page.load_file(EXAMPLE)
    assert page.result is not None and page.proxy.rowCount() == 40
    assert "37 analysées" in page.summary.text() and "3 illisibles" in page.summary.text()
    assert page.chart.hours and sum(h for _, h in page.chart.hours) == page.result.totals.potential_hours

    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by amount, as numbers
    assert page.visible_lines()[:2] == [11, 37]  # 2 400 000 € then 1 500 000 €
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert page.visible_lines()[:2] == [3, 4]

    page.state_combo.setCurrentIndex(page.state_combo.findData("illisibles"))
    assert sorted(page.visible_lines()) == [40, 41, 42]
    page.state_combo.setCurrentIndex(page.state_combo.findData("signalees"))
    assert {14, 15}.issubset(page.visible_lines())
    page.state_combo.setCurrentIndex(page.state_combo.findData("toutes"))
    page.service_combo.setCurrentIndex(page.service_combo.findData("Moyens généraux"))
    assert len(page.visible_lines()) == 7
    page.search.setText("toner")
    assert page.visible_lines() == [15]

    page.table.setCurrentIndex(page.proxy.index(0, 2))
    text = page.detail.toPlainText()
    assert page.detail.shown_line == 15
    assert "Besoin homogène possible" in text and "Procédure" in text and "ligne 14" in text
    check = page.result.line(15).check
    assert check["procedure"]["explanation"].split(" ")[0] in text  # the engine's own explanation, not a summary
    assert "Heures d'insertion potentielles" in text

    page.search.setText("")
    page.service_combo.setCurrentIndex(0)
    page.select_lines([3, 11])
    assert page.selected_lines() == [3, 11]
    before = len(list_dossiers(database))
    assert page.create_button.isEnabled(), page.message.text()
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert [d.line for d in page.last_report.created] == [3, 11]
    assert len(list_dossiers(database)) == before + 2
    assert "2 dossiers créés" in page.message.text()
    titles = {d.title for d in list_dossiers(database)}
    assert {"Nettoyage des bâtiments administratifs", "Restauration scolaire en liaison froide"} <= titles

    page.load_file(EXAMPLE)  # a second run, as after reopening the programme
    page.select_lines([3, 11])
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.last_report.created == [] and len(page.last_report.existing) == 2
    assert len(list_dossiers(database)) == before + 2
    assert "0 dossier créé" in page.message.text() and "2 déjà créés" in page.message.text()


def test_export_writes_the_workbook(main_window, qtbot, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = programme_page(main_window, qtbot)
    page.load_file(EXAMPLE)
    written = page.export_to(tmp_path / "programme-analyse.xlsx")
    assert written is not None and written.is_file()
    assert load_workbook(written).sheetnames[0] == "Synthèse"
    assert "exporté" in page.message.text()


def test_cancel_stops_the_judgement_and_keeps_nothing(main_window, qtbot, monkeypatch) -> None:
    from achatsdesk.ui.tasks import TaskControl

    page = programme_page(main_window, qtbot)
    # The task runs inline in tests: a control that is already cancelled stands for a click on Annuler.
    monkeypatch.setattr(TaskControl, "cancelled", lambda self: True)
    page.load_file(EXAMPLE)
    assert page.result is None and "annulée" in page.message.text()
    assert not page.cancel_button.isVisible() and page.open_button.isEnabled()


def test_unusual_headings_are_mapped_once_then_remembered(main_window, qtbot, monkeypatch, tmp_path: Path) -> None:
    from achatsdesk.ui.programme.mapping_dialog import ProgrammeMappingDialog

    path = tmp_path / "plan-2027.csv"
    path.write_text("Quoi;Combien;Quand;Où;Genre\nTonte des stades;90 000;T2;Osny;services\n"
                    "Papier;30 000;T3;Cergy;fournitures\n",
                    encoding="utf-8")
    asked = []

    def answer(dialog) -> int:
        asked.append(dialog)
        assert not dialog.ok_button.isEnabled()  # the required columns are not chosen yet
        for name, header in (("title", "Quoi"), ("amount", "Combien"), ("launch", "Quand"), ("place", "Où"),
                             ("nature", "Genre")):
            dialog.choose(name, header)
        assert dialog.ok_button.isEnabled()
        return ProgrammeMappingDialog.DialogCode.Accepted

    monkeypatch.setattr(ProgrammeMappingDialog, "exec", answer)
    page = programme_page(main_window, qtbot)
    page.load_file(path)
    assert len(asked) == 1 and page.result is not None
    assert [line["error"] for line in page.document["lines"]] == [None, None]
    assert [line["launch_date"] for line in page.document["lines"]] == ["2027-04-01", "2027-07-01"]
    assert page.document["lines"][0]["place"] == "Osny"
    page.load_file(path)  # the same layout again: no question
    assert len(asked) == 1 and page.result.mapping_origin == "mémorisée"
