"""The Indicateurs section: the stored dossiers year by year, in French formats."""

from __future__ import annotations

from achatsdesk.domain.dossier import ClauseSelection
from achatsdesk.services import dossiers as svc
from tests.dossier_edits import save


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_the_section_counts_the_stored_dossiers(main_window, database, example_id, qtmodeltester) -> None:
    page = main_window.show_section("indicateurs")
    assert page.model.rowCount() == 1 and page.empty.isHidden()
    cells = [plain(page.model.index(0, column).data()) for column in range(page.model.columnCount())]
    assert cells[:3] == ["2026", "1", "1 200 000 € HT"] and cells[3] == "0 (0 % du montant)"

    example = svc.get_dossier(database, example_id).dossier
    example.clauses = [ClauseSelection("insertion-heures", "1.0", {"heures": 1600})]
    save(database, example_id, example)
    main_window.show_section("dossiers")
    page = main_window.show_section("indicateurs")  # counted again when shown
    cells = [plain(page.model.index(0, column).data()) for column in range(page.model.columnCount())]
    assert cells[3] == "1 (100 % du montant)" and cells[5] == "1 600"
    assert main_window.statusBar().currentMessage() == "Indicateurs : 1 dossier"
    qtmodeltester.check(page.model)


def test_without_dossiers_the_section_says_so(main_window) -> None:
    page = main_window.show_section("indicateurs")
    assert page.model.rowCount() == 0 and not page.empty.isHidden()
    assert not page.export_action.isEnabled()  # nothing to export yet


def test_the_indicators_are_exported_to_a_spreadsheet(main_window, database, example_id, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from achatsdesk.ui.indicators import indicators_page

    page = main_window.show_section("indicateurs")
    assert page.export_action in page.toolbar_actions() and page.export_action.isEnabled()
    offered = []
    monkeypatch.setattr(indicators_page, "choose_destination",
                        lambda parent, start: offered.append(start) or str(tmp_path / "bilan"))
    page.export_action.trigger()
    assert offered[0].endswith("indicateurs achatsdesk.xlsx")
    sheet = load_workbook(tmp_path / "bilan.xlsx")["Indicateurs"]
    assert [sheet["A2"].value, sheet["B2"].value, sheet["C2"].value] == [2026, 1, 1200000]
    assert main_window.statusBar().currentMessage() == "Indicateurs enregistrés dans « bilan.xlsx »."

