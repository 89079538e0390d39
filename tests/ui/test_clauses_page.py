"""The Bibliothèque de clauses page: filters, clause view, typed variables and live preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "clauses" / "user-clause.json"


@pytest.fixture
def page(qtbot, shell_context):
    from achatsdesk.ui.clauses.clauses_page import ClausesPage

    widget = ClausesPage(shell_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def test_the_list_model_is_sound(qtmodeltester, page) -> None:
    qtmodeltester.check(page.model)
    assert page.model.rowCount() >= 45


def test_search_and_filters_narrow_the_list(qtbot, page) -> None:
    total = page.model.rowCount()
    qtbot.keyClicks(page.search, "ecolabel")
    assert 0 < page.model.rowCount() < total
    assert "nettoyage-produits-ecolabellises" in {page.model.row(r).id for r in range(page.model.rowCount())}
    page.search.clear()
    page.document.setCurrentIndex(page.document.findData("RC"))
    assert {page.model.row(r).document for r in range(page.model.rowCount())} == {"RC"}
    page.document.setCurrentIndex(0)
    page.sector.setCurrentIndex(page.sector.findData("nettoyage"))
    assert {page.model.row(r).sector_label for r in range(page.model.rowCount())} == {"nettoyage"}
    assert "clause" in page.count.text()


def test_editing_a_variable_changes_the_preview(qtbot, page) -> None:
    page.select_clause("insertion-heures")
    assert page.view.clause.id == "insertion-heures"
    assert "Base légale" in page.view.meta.text() and "L2112-2" in page.view.meta.text()
    before = page.view.preview.wording()
    assert "833\u00a0heures" in before
    spin = page.view.form.editor("heures")
    spin.setValue(1600)
    after = page.view.preview.wording()
    assert after != before and "1\u202f600\u00a0heures" in after


def test_a_value_out_of_bounds_shows_the_french_problem(page) -> None:
    page.select_clause("insertion-penalites")
    page.view.preview.show_clause(page.view.clause, {"plafond": 50})
    assert page.view.preview.problem.isVisibleTo(page) and "« plafond »" in page.view.preview.problem.text()


def test_to_confirm_notes_are_shown(page) -> None:
    page.select_clause("critere-cout-cycle-vie")
    assert "à vérifier" in page.view.meta.text() and "R2152-9" in page.view.meta.text()


def test_copy_then_edit_a_shipped_clause(qtbot, page, monkeypatch) -> None:
    from achatsdesk.ui.clauses import edit_dialog

    page.select_clause("insertion-heures")
    assert not page.edit_action.isEnabled()  # shipped: read-only
    page.copy_action.trigger()
    assert page.view.clause.id == "insertion-heures-perso" and page.edit_action.isEnabled()

    def fake_exec(dialog):
        dialog.body.setPlainText(dialog.body.toPlainText() + "\nMention propre à notre service.\n")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(edit_dialog.ClauseEditDialog, "exec", fake_exec)
    page.edit_action.trigger()
    assert "Mention propre à notre service." in page.view.preview.wording()
    assert page.library.get("insertion-heures-perso").version == "1.1"


def test_the_edit_dialog_refuses_internals(qtbot, page) -> None:
    from achatsdesk.ui.clauses.edit_dialog import ClauseEditDialog

    dialog = ClauseEditDialog(page.library.get("insertion-heures"))
    qtbot.addWidget(dialog)
    dialog.body.setPlainText("{{ heures.__class__ }}")
    dialog.try_accept()
    assert dialog.result_clause is None and "interdit" in dialog.problem.text()


def test_import_a_pack_from_the_page(qtbot, page, monkeypatch, tmp_path, database) -> None:
    import zipfile

    from PySide6.QtWidgets import QMessageBox

    from achatsdesk.ui.clauses import clauses_page

    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-clauses", "version": 1,
                                                      "clauses": ["clauses/perso-insertion-locale.json"]}))
        archive.writestr("clauses/perso-insertion-locale.json", FIXTURE.read_text("utf-8"))
    monkeypatch.setattr(clauses_page, "choose_pack_to_import", lambda parent, start: str(pack))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.import_action.trigger()
    assert page.library.find("perso-insertion-locale") is not None
    assert "1 à vous" in page.status_text().replace("\u202f", " ")


def test_new_clause_written_by_the_buyer(qtbot, page, monkeypatch) -> None:
    from achatsdesk.ui.clauses import edit_dialog

    def fake_exec(dialog):
        dialog.title.setText("Clause de notre service")
        dialog.document.setCurrentIndex(dialog.document.findData("CCTP"))
        dialog.body.setPlainText("Article - Essai\n\nLe titulaire informe l'acheteur chaque mois.\n")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(edit_dialog.ClauseEditDialog, "exec", fake_exec)
    page.new_action.trigger()
    clause = page.library.get("ma-clause")
    assert clause.title == "Clause de notre service" and clause.document == "CCTP" and not clause.read_only
    assert page.view.clause.id == "ma-clause" and "chaque mois" in page.view.preview.wording()


def test_settings_dialog_changes_the_labour_share_used_for_sizing(qtbot, page) -> None:
    from decimal import Decimal

    from achatsdesk.services.rule_settings import labour_table
    from achatsdesk.ui.clauses.settings_dialog import ClauseSettingsDialog

    dialog = ClauseSettingsDialog(page)
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.shares.rowCount()) if dialog.shares.item(r, 0).text() == "909")
    dialog.shares.item(row, 2).setText("85")
    dialog.hourly_cost.setValue(28)
    dialog.save()
    table = labour_table()
    assert table.lookup("90911200-8").share == Decimal("0.85") and table.default_hourly_cost == Decimal("28.0")
    again = ClauseSettingsDialog(page)
    qtbot.addWidget(again)
    again.shares.item(row, 2).setText("beaucoup")
    again.save()
    assert "n'est pas un nombre" in again.problem.text()
    again.reset()
    assert labour_table().lookup("90911200-8").share == Decimal("0.8")


def test_the_splitter_position_is_remembered(qtbot, shell_context, page):
    from achatsdesk.ui.clauses.clauses_page import ClausesPage

    page.splitter.setSizes([300, 900])
    page.splitter.splitterMoved.emit(300, 1)
    again = ClausesPage(shell_context)
    qtbot.addWidget(again)
    again.resize(1200, 800)
    again.show()
    assert again.splitter.saveState() == page.splitter.saveState()
    assert again.splitter.sizes() == page.splitter.sizes() != [560, 740]  # not the default split
