"""The catalogue's "Listes de fournisseurs" dialog and the preset a dossier gives the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services.lever_advice import sectors_for_cpv
from achatsdesk.ui.catalogue import shortlists_dialog


@pytest.fixture
def page(catalogue_page):
    return catalogue_page


@pytest.fixture
def filled_list(page):
    """A list holding the first two results of a real search."""
    database = page.context.database
    page.search_field.setText("emmau")
    list_id = shortlists.create_shortlist(database, "Réemploi")
    ids = [page.model.row(r).id for r in range(2)]
    for supplier_id in ids:
        shortlists.add_to_shortlist(database, list_id, supplier_id)
    return list_id, ids


def _dialog(qtbot, page):
    dialog = shortlists_dialog.ShortlistsDialog(page.context, page)
    qtbot.addWidget(dialog)
    return dialog


def test_lists_dialog_is_reachable_from_the_toolbar_and_the_search_row(monkeypatch, page):
    shown = []
    monkeypatch.setattr(shortlists_dialog.ShortlistsDialog, "exec", lambda self: shown.append(self) or 0)
    toolbar_menus = [a.menu() for a in page.toolbar_actions() if a.menu() is not None]
    assert any(page.lists_action in menu.actions() for menu in toolbar_menus)
    assert page.lists_button.defaultAction() is page.lists_action
    page.lists_button.click()
    assert len(shown) == 1 and shown[0].windowTitle() == "Listes de fournisseurs"


def test_entries_model_passes_qt_model_checks(qtmodeltester, qtbot, page, filled_list):
    list_id, ids = filled_list
    dialog = _dialog(qtbot, page)
    dialog.select(list_id)
    assert dialog.entries_model.rowCount() == 2
    assert {dialog.entries_model.row(r).supplier_id for r in range(2)} == set(ids)
    qtmodeltester.check(dialog.entries_model)


def test_rename_shows_the_new_name_and_refuses_a_taken_one(monkeypatch, qtbot, page, filled_list, shown_errors):
    list_id, _ = filled_list
    shortlists.create_shortlist(page.context.database, "Autre liste")
    dialog = _dialog(qtbot, page)
    dialog.select(list_id)
    changed = []
    dialog.lists_changed.connect(changed.append)
    monkeypatch.setattr(shortlists_dialog, "ask_new_name", lambda parent, current: "Réemploi 2027")
    dialog.rename_button.click()
    assert shortlists.find_shortlist(page.context.database, list_id).name == "Réemploi 2027"
    assert dialog.lists.currentItem().text().startswith("Réemploi 2027") and changed == [list_id]
    errors = shown_errors  # the one error path
    monkeypatch.setattr(shortlists_dialog, "ask_new_name", lambda parent, current: "Autre liste")
    dialog.rename_button.click()
    assert errors and "déjà" in str(errors[0])
    assert shortlists.find_shortlist(page.context.database, list_id).name == "Réemploi 2027"


def test_delete_asks_first_and_keeps_the_list_when_refused(monkeypatch, qtbot, page, filled_list):
    list_id, _ = filled_list
    dialog = _dialog(qtbot, page)
    dialog.select(list_id)
    asked = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.delete_button.click()
    assert len(asked) == 1 and "Réemploi" in asked[0]
    assert shortlists.find_shortlist(page.context.database, list_id) is not None
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog.delete_button.click()
    assert shortlists.find_shortlist(page.context.database, list_id) is None
    assert dialog.lists.count() == 0 and dialog.entries_model.rowCount() == 0
    assert not dialog.delete_button.isEnabled()


def test_export_writes_the_list(monkeypatch, qtbot, tmp_path: Path, page, filled_list):
    list_id, ids = filled_list
    dialog = _dialog(qtbot, page)
    dialog.select(list_id)
    monkeypatch.setattr(shortlists_dialog, "choose_destination", lambda parent, start: str(tmp_path / "liste"))
    dialog.export_button.click()
    assert dialog.last_export == tmp_path / "liste.xlsx"
    names = [r[0] for r in load_workbook(dialog.last_export).active.iter_rows(min_row=2, values_only=True)]
    expected = [e.name for e in shortlists.shortlist_entries(page.context.database, list_id)]
    assert len(names) == len(ids) and names == expected


def test_preset_searches_around_the_place_in_the_sectors_and_fills_the_target(page):
    database = page.context.database
    matches = sectors_for_cpv(["90911200-8"])
    sectors = matches[0].sectors
    list_id = shortlists.create_shortlist(database, "Nettoyage des collèges")
    page.search_field.setText("emmau")
    page.preset_search("95127", sectors, matches[0].label, list_id)
    state = page.filters.state()
    assert page.search_field.text() == ""
    assert state.near_insee == "95127" and state.sector is None and state.preset_sectors == tuple(sectors)
    assert page.target_shortlist() == list_id and page.target_bar.isVisibleTo(page)
    assert "Nettoyage des collèges" in page.detail.shortlist_button.text()
    assert 0 < page.model.total < 5000
    first = page.model.row(0)
    assert first.distance_km is not None and first.distance_km <= state.radius_km
    page.table.selectRow(0)
    changed = []
    page.context.shortlist_changed.connect(changed.append)
    page.detail.shortlist_button.click()  # no dialog: straight into the target list
    assert [e.supplier_id for e in shortlists.shortlist_entries(database, list_id)] == [first.id]
    assert changed == [list_id] and "ajoutée" in page.detail.feedback.text()
    page.detail.shortlist_button.click()
    assert "déjà" in page.detail.feedback.text() and changed == [list_id]
    page.clear_target_button.click()
    assert page.target_shortlist() is None and page.detail.shortlist_button.text() == "Ajouter à une liste…"


def test_deleting_the_target_list_in_the_dialog_clears_the_target(monkeypatch, qtbot, page, filled_list):
    list_id, _ = filled_list
    page.preset_search(None, (), "", list_id)
    assert page.target_shortlist() == list_id
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    changed = []
    page.context.shortlist_changed.connect(changed.append)

    def run(dialog):
        dialog.select(list_id)
        dialog.delete_button.click()
        return 0

    monkeypatch.setattr(shortlists_dialog.ShortlistsDialog, "exec", run)
    page.lists_action.trigger()
    assert changed == [list_id]
    assert page.target_shortlist() is None and not page.target_bar.isVisibleTo(page)
    assert page.filters.state().preset_sectors == () and page.filters.sector.findData("preset") == -1
