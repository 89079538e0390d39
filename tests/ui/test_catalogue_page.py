"""The Catalogue ESS window driven as a buyer would: type, filter, select, copy, import, shortlist."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue"


@pytest.fixture
def page(catalogue_page):
    return catalogue_page


def test_model_passes_qt_model_checks(qtmodeltester, page):
    page.search_field.setText("emmau")
    assert page.model.rowCount() > 0
    qtmodeltester.check(page.model)


def test_typing_filters_results_and_shows_the_first_one(page):
    everything = page.model.total  # the whole catalogue, counted up to the cap only
    assert everything == 1000 and page.count_label.text().startswith("plus de 1\u202f000 structures")
    page.search_field.setText("emmau")
    assert 0 < page.model.total < 100
    names = [page.model.row(r).name for r in range(page.model.rowCount())]
    assert all("EMMAUS" in n.upper() or "EMMAÜS" in n.upper() for n in names[:5])
    assert "structures" in page.count_label.text()
    detail = page.detail.detail()
    assert detail is not None and detail.id == page.model.row(0).id
    assert detail.name in page.detail.body.toPlainText()
    page.search_field.setText('AND( "')  # odd input: no error dialog (message_boxes), the word's results
    from achatsdesk.services.catalogue import search_suppliers

    assert page.model.total == search_suppliers(page.context.database, "and").total


def test_selecting_a_row_shows_it_and_copies_its_siret(qtbot, page):
    page.search_field.setText("emmau")
    page.table.selectRow(2)
    hit = page.model.row(2)
    assert page.detail.detail().id == hit.id
    text = page.detail.body.toPlainText()
    assert hit.source_date in text and "Source" in text
    qtbot.mouseClick(page.detail.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == hit.siret


def test_chips_place_and_radius_filter_and_draw_the_map(page):
    page.filters.chips["Handicap (EA, ESAT)"].setChecked(True)
    assert {page.model.row(r).kind for r in range(page.model.rowCount())} <= {"EA", "EATT", "ESAT"}
    page.filters.place.set_insee("95127")  # Cergy
    page.filters.radius.setValue(15)
    page.filters.changed.emit()
    distances = [page.model.row(r).distance_km for r in range(page.model.rowCount())]
    assert distances and all(d is not None and d <= 15 for d in distances)
    assert distances == sorted(distances)
    assert "Cergy" in page.count_label.text()
    assert page.map.point_count() == page.model.total
    page.tabs.setCurrentWidget(page.map)
    image = page.map.grab().toImage()
    assert not image.isNull()


def test_lazy_model_fetches_more_rows(page):
    assert page.model.rowCount() == 100 and page.model.total > 100
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 200


def test_status_and_toolbar(page):
    assert page.status_text().startswith("Catalogue : ")
    assert "sources 2019-2025" in page.status_text()
    assert {a.text() for a in page.toolbar_actions()} == {"Importer une liste…", "Ajouter à une liste…"}
    page.focus_search()


def test_import_assistant_completes_on_a_sample(qtbot, shell_context):
    from achatsdesk.ui.catalogue.import_dialog import ImportAssistant

    dialog = ImportAssistant(shell_context)
    qtbot.addWidget(dialog)
    assert dialog.load_file(str(FIXTURES / "lemarche_export_MADEUP.csv"))
    assert "Marché de l'inclusion" in dialog.format_label.text()
    assert dialog.preview_table.rowCount() == 4
    dialog.start_import()
    assert dialog.report is not None
    assert dialog.report.added == 3 and dialog.report.rejected == 1
    assert "ligne 5" in dialog.report_view.toPlainText()


def test_import_assistant_maps_columns_of_an_unknown_file(qtbot, shell_context, tmp_path):
    from achatsdesk.services.catalogue import get_supplier
    from achatsdesk.ui.catalogue.import_dialog import ImportAssistant

    path = tmp_path / "liste_MADEUP.csv"
    path.write_text("Nom de la structure;N° SIRET;CP;Ville\nEXEMPLE INVENTÉ EA du Vexin;99900001100018;95000;Cergy\n",
                    encoding="utf-8")
    dialog = ImportAssistant(shell_context)
    qtbot.addWidget(dialog)
    dialog.load_file(str(path))
    assert dialog.mapping_box.isVisibleTo(dialog)
    combo = dialog.mapping_combos["name"]
    combo.setCurrentIndex(combo.findData("Nom de la structure"))
    dialog.default_kind.setCurrentIndex(dialog.default_kind.findData("EA"))
    dialog.start_import()
    assert dialog.report is not None and dialog.report.added == 1
    assert get_supplier(shell_context.database, "99900001100018").kind == "EA"


def test_shortlist_dialog_adds_the_supplier(qtbot, page):
    from achatsdesk.services import catalogue_shortlists as shortlists
    from achatsdesk.ui.catalogue.shortlist_dialog import ShortlistDialog

    page.search_field.setText("emmau")
    detail = page.detail.detail()
    dialog = ShortlistDialog(page.context, detail.id, detail.name)
    qtbot.addWidget(dialog)
    dialog.new_name.setText("Collèges 2027")
    dialog.save()
    assert dialog.added_to is not None
    entries = shortlists.shortlist_entries(page.context.database, dialog.added_to)
    assert [e.supplier_id for e in entries] == [detail.id]


def test_splitter_sizes_are_remembered(qtbot, shell_context, page):
    from achatsdesk.ui.catalogue.catalogue_page import CataloguePage
    from achatsdesk.ui.settings import Settings

    page.splitter.setSizes([900, 300])
    page.splitter.splitterMoved.emit(900, 1)
    assert not shell_context.settings.get(Settings.catalogue_splitter).isEmpty()
    again = CataloguePage(shell_context)
    qtbot.addWidget(again)
    assert again.splitter.saveState() == page.splitter.saveState()


def test_import_assistant_cancel_leaves_catalogue_and_says_so(qtbot, shell_context, tmp_path, monkeypatch):
    from achatsdesk.ui.catalogue import import_dialog

    path = tmp_path / "gros_MADEUP.csv"
    path.write_text("raison sociale;type;code postal\n" + "".join(f"EXEMPLE INVENTÉ {i};ACI;95000\n" for i in range(3000)),
                    encoding="utf-8")
    with shell_context.database.engine.connect() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one()
    dialog = import_dialog.ImportAssistant(shell_context)
    qtbot.addWidget(dialog)
    dialog.load_file(str(path))
    original = import_dialog.import_file

    def cancelling(database, path, fmt, progress, cancelled, **kwargs):
        return original(database, path, fmt, progress, lambda: True, **kwargs)  # the user pressed Annuler

    monkeypatch.setattr(import_dialog, "import_file", cancelling)
    dialog.start_import()
    assert dialog.report is None
    assert "annulé" in dialog.report_view.toPlainText()
    with shell_context.database.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one() == before


def test_sectors_dialog_replaces_derived_sectors(qtbot, page):
    from achatsdesk.services.catalogue import get_supplier
    from achatsdesk.ui.catalogue.sectors_dialog import SectorsDialog

    detail = get_supplier(page.context.database, "80746931700018")
    dialog = SectorsDialog(detail, page._sectors)
    qtbot.addWidget(dialog)
    checked = [dialog.list.item(i) for i in range(dialog.list.count()) if dialog.list.item(i).checkState() == Qt.CheckState.Checked]
    assert [item.text().split(" › ")[1] for item in checked] == ["Traiteur"]
    checked[0].setCheckState(Qt.CheckState.Unchecked)
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen() == [dialog.list.item(0).data(Qt.ItemDataRole.UserRole)]


def test_departement_filter_waits_for_two_characters(page):
    everything = page.model.total
    page.filters.departement.setText("9")
    assert page.model.total == everything
    page.filters.departement.setText("95")
    assert 0 < page.model.total < everything
    assert {page.model.row(r).departement for r in range(page.model.rowCount())} == {"95"}


def _folded_names(database, text=""):
    from achatsdesk.domain.text import fold
    from achatsdesk.services.catalogue import search_suppliers

    first = search_suppliers(database, text, limit=10_000)
    assert len(first.hits) == first.total
    return first.hits, fold


def test_header_sort_is_a_query_order_over_the_whole_catalogue(qtbot, page, qtmodeltester):
    page.search_field.setText("esat")
    assert page.model.total > 100  # more than the first loaded page
    loaded = {page.model.row(r).id for r in range(page.model.rowCount())}
    everything, fold = _folded_names(page._database, "esat")
    first = min(everything, key=lambda h: (fold(h.name), h.id))
    last = max(everything, key=lambda h: (fold(h.name), -h.id))
    assert first.id not in loaded  # the case a sort of loaded rows got wrong
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == -1  # relevance: no column claims the order

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 0))
    assert page.model.row(0).id == first.id
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.AscendingOrder)
    assert page.model.rowCount() == 100 and page.model.canFetchMore()
    page.model.fetchMore()  # lazy loading goes on in the same order
    names = [fold(page.model.row(r).name) for r in range(page.model.rowCount())]
    assert names == sorted(fold(h.name) for h in everything)[:200]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 0))
    assert page.model.row(0).id == last.id
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    page.search_field.setText("esat ")  # a new search keeps the chosen order
    assert page.model.order() == ("name", True)
    shown = [fold(page.model.row(r).name) for r in range(page.model.rowCount())]
    assert shown == sorted(shown, reverse=True)
    # Last: once attached, Qt's tester calls fetchMore inside every later reset's signal.
    qtmodeltester.check(page.model)


def test_sort_indicator_follows_place_and_columns_without_order(qtbot, page):
    header = page.table.horizontalHeader()
    page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # distance without a place: relevance
    assert header.sortIndicatorSection() == -1 and page.model.order() == ("relevance", False)
    page.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # sectors: no query order
    assert header.sortIndicatorSection() == -1
    page.filters.place.set_insee("95127")
    page.filters.radius.setValue(15)
    page.filters.changed.emit()
    assert header.sortIndicatorSection() == 3  # nearest first, and the header says so
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    distances = [page.model.row(r).distance_km for r in range(page.model.rowCount())]
    assert distances == sorted(distances, reverse=True) and page.model.order() == ("distance", True)
    page.filters.place.set_insee(None)
    page.filters.changed.emit()
    assert page.model.order() == ("relevance", False) and header.sortIndicatorSection() == -1


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)
