"""The Dossiers page: welcome state, example, list and filters, exchange files, review."""

from __future__ import annotations

from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import Dossier, DossierStatus
from achatsdesk.services import dossiers as svc
from achatsdesk.ui.dossier.list_model import ID_ROLE, DossierListModel
from tests.dossier_edits import answer, save


def make_page(qtbot, shell_context):
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage

    page = DossiersPage(shell_context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def test_welcome_state_then_example(qtbot, shell_context, database):
    page = make_page(qtbot, shell_context)
    assert page.stack.currentWidget() is page.welcome
    assert "exemple" in page.example_button.text().lower()
    qtbot.mouseClick(page.example_button, Qt.MouseButton.LeftButton)
    assert page.editor is not None and page.stack.currentWidget() is page.editor_host
    dossier = page.editor.current_dossier()
    assert dossier.title.startswith("Exemple") and dossier.estimated_amount_eur == 1_200_000
    assert page.editor.obligations.statuses()["env-award-criterion"].value == "obligatoire"
    page.close_editor()
    assert page.stack.currentWidget() is page.list_view and page.model.rowCount() == 1
    assert page.model.index(0, 0).data().startswith("Exemple")
    assert page.status_text() == "1 dossier"


def test_catalogue_button_goes_to_the_catalogue(qtbot, shell_context, database, monkeypatch):
    page = make_page(qtbot, shell_context)
    calls = []
    shell_context.section_requested.connect(calls.append)  # what the main window listens to
    qtbot.mouseClick(page.catalogue_button, Qt.MouseButton.LeftButton)
    assert calls == ["catalogue"]


def test_new_dossier_action_and_filters(qtbot, shell_context, database):
    svc.create_dossier(database, Dossier("Voirie communale (fictif)", status=DossierStatus.VALIDE))
    page = make_page(qtbot, shell_context)
    assert page.stack.currentWidget() is page.list_view
    assert "Ctrl+N" in page.new_action.toolTip()  # the shortcut itself is the window's (test_file_actions.py)
    page.new_action.trigger()
    assert page.editor.current_dossier().title == "Nouveau dossier"
    page.close_editor()
    assert page.model.rowCount() == 2
    page.status_filter.setCurrentIndex(page.status_filter.findData("valide"))
    assert [page.model.row(r).title for r in range(page.model.rowCount())] == ["Voirie communale (fictif)"]
    page.status_filter.setCurrentIndex(0)
    page.search.setText("nouveau")
    assert page.model.rowCount() == 1 and page.model.index(0, 4).data() == "Brouillon"


def test_send_for_review_export_import_and_review(qtbot, shell_context, database, tmp_path):
    page = make_page(qtbot, shell_context)
    editor = page.open_example()
    target = tmp_path / "a-relire.achatsdesk"
    page.send_for_review(target)
    assert target.is_file()
    dossier_id = editor.dossier_id
    assert svc.get_dossier(database, dossier_id).dossier.status == DossierStatus.A_RELIRE
    page.close_editor()
    page.import_file(target)  # the head's machine would have an empty base; here both are kept
    assert page.last_import is not None and page.last_import.kept_both
    assert page.model.rowCount() == 2
    page.table.selectRow([page.model.row(r).id for r in range(2)].index(page.last_import.dossier_id))
    qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    assert page.editor.review_mode and page.editor.fields.amount.isReadOnly()
    bar = page.editor.review_bar
    bar.reviewer.setText("Chef de service")
    asked = []
    page.editor.confirm_validation = lambda points: asked.append(points) or True  # open items: asked first
    bar.comment.setText("Points ouverts traités hors de l'application (fictif)")  # and the reason recorded
    qtbot.mouseClick(bar.validate_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0]
    page.close_editor()
    statuses = {page.model.row(r).id: page.model.row(r).status for r in range(page.model.rowCount())}
    assert statuses == {dossier_id: DossierStatus.A_RELIRE, page.last_import.dossier_id: DossierStatus.VALIDE}


def test_list_model(qtmodeltester, database):
    svc.create_dossier(database, Dossier("Premier (fictif)", estimated_amount_eur=90_000))
    svc.create_dossier(database, Dossier("Second (fictif)"))
    model = DossierListModel()
    model.set_rows(svc.list_dossiers(database))
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.index(0, 0).data(ID_ROLE) is not None
    assert {model.index(r, 2).data() for r in range(2)} == {"90\u202f000\u00a0€\u00a0HT", "0\u00a0€\u00a0HT"}


def test_a_dossier_taken_away_says_by_whom_in_its_status(qtmodeltester):
    from datetime import datetime

    from achatsdesk.services.dossier_list import DossierSummary

    here = DossierSummary(1, "Restauration (fictif)", "", "", DossierStatus.BROUILLON, 0, None,
                          datetime(2026, 12, 1, 9, 30))
    taken = here._replace(id=2, taken_by="acheteuse_dupont")
    model = DossierListModel()
    model.set_rows([here, taken])
    qtmodeltester.check(model)
    assert model.index(0, 4).data() == "Brouillon" and model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(1, 4).data() == "Brouillon · emporté par acheteuse_dupont"
    assert "reviendront sur le serveur" in model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)


def test_page_in_the_main_window(qtbot, main_window):
    page = main_window.show_section("dossiers")
    actions = [a.text() for a in main_window.toolbar.actions()]
    for text in ("Nouveau dossier", "Importer…", "Exporter (.achatsdesk)…", "Envoyer en relecture…"):
        assert text in actions
    editor = page.new_dossier()
    editor.fields.duration.setValue(12)
    editor.save_now()
    main_window.refresh_status()
    assert main_window.statusBar().currentMessage().startswith("Enregistré")


def test_duplicate_a_dossier_for_a_new_consultation(qtbot, shell_context, database, example_id):
    from datetime import datetime

    from achatsdesk.domain.dossier import ClauseSelection

    stored = svc.get_dossier(database, example_id).dossier
    stored.clauses = [ClauseSelection("insertion-heures", "1.0", {"heures": 1500})]
    save(database, example_id, stored)
    answer(database, example_id, "env-condition", "fait")
    svc.record_review(database, example_id, "valide", "Responsable d'exemple", "", now=datetime(2026, 11, 20, 9, 0))

    page = make_page(qtbot, shell_context)
    page.table.selectRow(0)
    page.duplicate_action.trigger()  # Ctrl+D
    copy = page.editor.current_dossier()
    original = svc.get_dossier(database, example_id).dossier
    assert copy.title == f"Copie de {original.title}" and copy.uid != original.uid
    assert copy.status == DossierStatus.BROUILLON and copy.launch_date is None
    assert (copy.cpv, copy.place_insee, copy.estimated_amount_eur) == (original.cpv, original.place_insee,
                                                                       original.estimated_amount_eur)
    assert [(c.clause_id, c.variables) for c in copy.clauses] == [("insertion-heures", {"heures": 1500})]
    stored_copy = svc.get_dossier(database, page.editor.dossier_id).dossier
    assert stored_copy.items == {} and stored_copy.reviews == []  # answers and review were for the earlier one
    assert "date de lancement" in page.status_text()
    assert original.status == DossierStatus.VALIDE and original.items  # the original is untouched
    page.close_editor()
    assert page.model.rowCount() == 2


def test_an_awarded_dossier_is_not_sent_back_for_review(qtbot, shell_context, database, tmp_path):
    from achatsdesk.services import execution

    page = make_page(qtbot, shell_context)
    editor = page.open_example()
    dossier_id = editor.dossier_id
    page.close_editor()
    svc.record_review(database, dossier_id, "valide", "Cheffe du service achats")
    execution.award_lot(database, dossier_id, lot=1, siret="77554402601177", notified_on="2027-01-04", amount=1000)
    page.refresh_list()
    page.table.selectRow([page.model.row(r).id for r in range(page.model.rowCount())].index(dossier_id))
    page.send_for_review(tmp_path / "a-relire.achatsdesk")
    assert not (tmp_path / "a-relire.achatsdesk").exists()
    assert svc.get_dossier(database, dossier_id).dossier.status == DossierStatus.ATTRIBUE
