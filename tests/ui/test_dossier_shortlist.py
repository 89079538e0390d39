"""The dossier's "Fournisseurs présélectionnés" box, driven from the main window as a buyer would:
attach a new list to the example dossier, fill it from the catalogue, see it, undo, export it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import dossiers as svc
from achatsdesk.services.lever_advice import sectors_for_cpv
from achatsdesk.ui.dossier import export_extension
from achatsdesk.ui.dossier.shortlist_extension import NO_LIST, ShortlistBox, dossier_sectors


@pytest.fixture
def window(main_window):
    from achatsdesk.services.catalogue import ensure_embedded_catalogue

    ensure_embedded_catalogue(main_window.context.database.engine)
    return main_window


@pytest.fixture
def editor(window):
    page = window.show_section("dossiers")
    editor = page.open_example()
    row = [s.id for s in editor.analysis.steps].index("besoin")
    editor.nav.setCurrentRow(row)  # the "besoin" step, where the box lives
    assert editor.current_step() == "besoin"
    return editor


def _entry_names(box: ShortlistBox) -> list[str]:
    return [box.model.row(r).name for r in range(box.model.rowCount())]


def test_dossier_sectors_come_from_the_cpv_mapping():
    sectors, label = dossier_sectors(["90911200-8"])
    match = sectors_for_cpv(["90911200-8"])[0]
    assert sectors == match.sectors and label == match.label
    both, both_label = dossier_sectors(["90911200-8", "45000000-7", "90911300-9"])
    works = sectors_for_cpv(["45000000-7"])[0]
    assert both == match.sectors + tuple(s for s in works.sectors if s not in match.sectors)  # once each, in order
    assert both_label == f"{match.label}, {works.label}"
    assert dossier_sectors([]) == ((), "")


def test_attach_fill_from_catalogue_see_undo_and_export(qtbot, monkeypatch, tmp_path: Path, window, editor):
    database = window.context.database
    box: ShortlistBox = editor.shortlist_box
    dossier = editor.current_dossier()
    assert dossier.shortlist_id is None and box.list_choice.currentText() == NO_LIST
    assert box.isVisibleTo(editor) and box.search_button.isEnabled()

    # a new list named after the dossier, attached through an undoable edit
    box.create_button.click()
    list_id = editor.current_dossier().shortlist_id
    assert list_id is not None
    assert shortlists.find_shortlist(database, list_id).name == dossier.title
    assert box.list_choice.currentData() == list_id and box.model.rowCount() == 0
    editor.save_now()
    assert svc.get_dossier(database, editor.dossier_id).dossier.shortlist_id == list_id

    # the catalogue opens around the dossier's place, in its CPV's sectors, filling this list
    box.search_catalogue()
    catalogue = window.page("catalogue")
    assert window.current_section() == "catalogue"
    state = catalogue.filters.state()
    assert state.near_insee == dossier.place_insee == "95127"
    assert state.preset_sectors == dossier_sectors(dossier.cpv)[0] and state.preset_sectors
    assert catalogue.target_shortlist() == list_id
    assert catalogue.model.total > 0
    catalogue.table.selectRow(0)
    chosen = catalogue.model.row(0)
    catalogue.detail.shortlist_button.click()  # "Ajouter à la liste « … »": no dialog

    # back in the dossier: the supplier is in the box, with its distance from the place
    window.show_section("dossiers")
    assert _entry_names(box) == [chosen.name]
    entry = box.model.row(0)
    assert entry.distance_km is not None and abs(entry.distance_km - chosen.distance_km) < 0.5
    assert "1 structure" in box.summary.text()

    # the exported spreadsheet lists it (the stored dossier is what is exported)
    written = []
    monkeypatch.setattr(export_extension, "choose_destination",
                        lambda parent, title, start, file_filter: str(tmp_path / "fournisseurs.xlsx"))
    monkeypatch.setattr(export_extension, "offer_to_open", lambda parent, message, path: written.append(path) or False)
    editor.export_actions.shortlist_action.trigger()
    assert written == [tmp_path / "fournisseurs.xlsx"]
    rows = list(load_workbook(written[0]).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [chosen.name] and rows[0][1] == (chosen.siret or None)

    # Ctrl+Z detaches the list (the list itself stays in the catalogue); Ctrl+Y attaches it again
    editor.undo_stack.undo()
    assert editor.current_dossier().shortlist_id is None
    assert box.model.rowCount() == 0 and box.list_choice.currentText() == NO_LIST
    editor.save_now()
    assert svc.get_dossier(database, editor.dossier_id).dossier.shortlist_id is None
    assert shortlists.find_shortlist(database, list_id).size == 1
    editor.undo_stack.redo()
    assert editor.current_dossier().shortlist_id == list_id and _entry_names(box) == [chosen.name]


def test_choose_an_existing_list_and_remove_a_supplier(window, editor):
    database = window.context.database
    with database.engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM supplier ORDER BY id LIMIT 2")]
    list_id = shortlists.create_shortlist(database, "Liste existante")
    for supplier_id in ids:
        shortlists.add_to_shortlist(database, list_id, supplier_id)
    box: ShortlistBox = editor.shortlist_box
    box.refresh()
    box.list_choice.setCurrentIndex(box.list_choice.findData(list_id))
    box.list_choice.activated.emit(box.list_choice.currentIndex())
    assert editor.current_dossier().shortlist_id == list_id and box.model.rowCount() == 2
    assert not box.remove_button.isEnabled()
    before = [box.model.row(r).distance_km for r in range(2)]
    editor.apply_edit("Modifier le lieu d'exécution", lambda d: setattr(d, "place_insee", "13055"))  # Marseille
    after = [box.model.row(r).distance_km for r in range(2)]
    assert None not in before and None not in after and before != after  # measured from the new place
    box.table.selectRow(0)
    removed = box.model.row(0).supplier_id
    assert box.remove_button.isEnabled()
    box.remove_button.click()
    assert [e.supplier_id for e in shortlists.shortlist_entries(database, list_id)] == [s for s in ids if s != removed]
    assert box.model.rowCount() == 1


def test_a_deleted_list_is_said_and_review_mode_only_shows(window, editor):
    database = window.context.database
    box: ShortlistBox = editor.shortlist_box
    list_id = box.create_list()
    editor.save_now()
    dossier_id = editor.dossier_id
    page = window.page("dossiers")
    reviewer = page.open_dossier(dossier_id, review_mode=True)
    review_box: ShortlistBox = reviewer.shortlist_box
    assert review_box.list_choice.currentData() == list_id
    for widget in (review_box.list_choice, review_box.create_button, review_box.search_button, review_box.remove_button):
        assert not widget.isEnabled()
    assert review_box.search_catalogue() is None and window.current_section() == "dossiers"
    shortlists.delete_shortlist(database, list_id)
    review_box.refresh()
    assert "supprimée" in review_box.summary.text() and review_box.model.rowCount() == 0
