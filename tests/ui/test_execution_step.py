"""The Exécution step of the dossier editor: award (undoable), follow-up, report import, penalty."""

from __future__ import annotations

from PySide6.QtCore import QDate

from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.services import execution
from achatsdesk.services.dossiers import create_dossier, get_dossier, record_review
from tests.execution.conftest import SIAE_SIRET, example_dossier


def _validated(database) -> int:
    dossier_id = create_dossier(database, example_dossier())
    record_review(database, dossier_id, "valide", "Cheffe du service achats")
    return dossier_id


def test_award_follow_up_report_and_penalty_in_the_editor(qtbot, database, make_editor, tmp_path) -> None:
    dossier_id = _validated(database)
    editor = make_editor(dossier_id)
    step = editor.execution_step
    assert editor.nav.item(editor.nav.count() - 1).text() == "Exécution"
    editor.nav.setCurrentRow(editor.nav.count() - 1)
    assert editor.stack.currentWidget().widget() is step

    step.lot.setCurrentIndex(0)
    step.siret.setText(SIAE_SIRET)
    step.amount.setText("680 000")
    step.notified.setDate(QDate(2027, 1, 4))
    step.duration.setValue(12)
    step.offers.setValue(3)
    step.award_button.click()
    assert "ALFA 3A (ACI, structure inclusive)" in step.awards.text()
    assert "Attribué" in step.state.text()
    assert editor.current_dossier().status == DossierStatus.ATTRIBUE

    editor.undo_stack.undo()  # Ctrl+Z takes the award back
    assert execution.awards_of(database, dossier_id) == []
    assert get_dossier(database, dossier_id).dossier.status == DossierStatus.VALIDE
    assert step.awards.text() == "Aucun lot attribué."
    editor.undo_stack.redo()
    assert [a.holder_siret for a in execution.awards_of(database, dossier_id)] == [SIAE_SIRET]

    step.commitment.setCurrentIndex(0)
    step.period.setText("2027-T1")
    step.value.setText("80")
    step.record_button.click()
    assert step.table.item(0, 3).text() == "80 heures"
    editor.undo_stack.undo()  # figures were recorded since: the award stays, and the step says why
    assert [a.lot for a in execution.awards_of(database, dossier_id)] == [1]
    assert "relevés d'exécution" in step.message.text()
    editor.undo_stack.redo()
    assert step.table.item(0, 4).text() == "320 heures"
    assert step.table.cellWidget(0, 5).value() == 20

    report = tmp_path / "releve.csv"
    report.write_text(f"SIRET;Période;Heures\n{SIAE_SIRET};2027-T2;100\n{SIAE_SIRET};2027-T2;beaucoup\n",
                      encoding="utf-8")
    step.import_report_file(str(report))
    assert "Ligne 3 rejetée : La valeur réalisée « beaucoup » n'est pas un nombre." in step.report.text()
    assert step.table.item(0, 3).text() == "180 heures"
    assert "2027-T2 : 100 heures, transmis par facilitateur" in step.table.item(0, 6).toolTip()
    assert "(relevé releve.csv)" in step.table.item(0, 6).toolTip()
    assert "220 h manquent" in step.penalties.text()
    assert get_dossier(database, dossier_id).dossier.status == DossierStatus.EN_EXECUTION
    editor.save_now()  # the editor's autosave keeps the status the follow-up gave
    assert get_dossier(database, dossier_id).dossier.status == DossierStatus.EN_EXECUTION
    step.close_button.click()
    assert get_dossier(database, dossier_id).dossier.status == DossierStatus.CLOS
    assert editor.current_dossier().status == DossierStatus.CLOS and not step.close_button.isEnabled()


def test_a_refused_award_says_why_and_leaves_nothing_to_undo(qtbot, database, make_editor) -> None:
    dossier_id = _validated(database)
    editor = make_editor(dossier_id)
    step = editor.execution_step
    count = editor.undo_stack.count()
    step.siret.setText("12345678901234")
    step.amount.setText("1000")
    step.award_button.click()
    assert "n'est pas valide" in step.message.text()
    assert editor.undo_stack.count() == count and execution.awards_of(database, dossier_id) == []


def test_an_unexpected_failure_of_an_award_reaches_the_one_error_path(qtbot, database, make_editor, monkeypatch,
                                                                     shown_errors) -> None:
    """A refusal of the core is said in the step; anything else is worded by the one error path."""
    dossier_id = _validated(database)
    editor = make_editor(dossier_id)
    step = editor.execution_step
    count = editor.undo_stack.count()

    def broken(*args, **kwargs):
        raise OSError("disque plein (fictif)")

    monkeypatch.setattr(execution, "award_lot", broken)
    step.siret.setText(SIAE_SIRET)
    step.amount.setText("680 000")
    step.award_button.click()
    assert [type(e) for e in shown_errors] == [OSError]
    assert "disque plein" not in step.message.text()
    assert editor.undo_stack.count() == count


def test_a_draft_cannot_be_awarded_from_the_window(qtbot, database, make_editor) -> None:
    editor = make_editor(create_dossier(database, example_dossier()))
    step = editor.execution_step
    assert not step.award_button.isEnabled()
    assert "une fois le dossier validé" in step.state.text()


def test_agec_spend_is_entered_with_the_category_minimum(qtbot, database, make_editor) -> None:
    from achatsdesk.services.returns import agec_lines

    dossier_id = _validated(database)
    execution.award_lot(database, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=1000)
    form = make_editor(dossier_id).execution_step.agec
    form.year.setValue(2027)
    form.category.setCurrentIndex(0)  # textiles
    assert "15 %" in form.minimum.text() and "30 juin 2028" in form.minimum.text()
    form.amounts["total"].setText("1 200")
    form.amounts["reuse"].setText("200")
    form.button.click()
    assert "enregistrée" in form.message.text()
    assert [(line.category, line.total, line.reuse) for line in agec_lines(database, 2027)] == [(1, 1200, 200)]
    form.lot.setValue(2)
    form.button.click()
    assert "n'est pas attribué" in form.message.text()


def test_a_report_with_unknown_headers_goes_through_the_mapping_step(qtbot, database, make_editor, tmp_path,
                                                                     monkeypatch) -> None:
    from achatsdesk.ui.dossier import report_mapping_dialog

    dossier_id = _validated(database)
    execution.award_lot(database, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=1000)
    step = make_editor(dossier_id).execution_step
    report = tmp_path / "export-logiciel.csv"
    report.write_text(f"Entreprise;Trim.;Volume\n{SIAE_SIRET};2027-T1;42\n", encoding="utf-8")
    seen = {}

    def buyer_maps(parent, preview):
        dialog = report_mapping_dialog.ReportMappingDialog(preview, parent)
        qtbot.addWidget(dialog)
        seen["rows"] = preview.rows
        for name, header in (("siret", "Entreprise"), ("period", "Trim."), ("hours", "Volume")):
            box = dialog.choices[name]
            box.setCurrentIndex(box.findData(header))
        return dialog.mapping()

    monkeypatch.setattr(report_mapping_dialog, "choose_mapping", buyer_maps)
    step.import_report_file(str(report))
    assert seen["rows"] == [[SIAE_SIRET, "2027-T1", "42"]]
    assert step.table.item(0, 3).text() == "42 heures"
    monkeypatch.setattr(report_mapping_dialog, "choose_mapping", lambda parent, preview: None)
    step.import_report_file(str(report))
    assert "annulé" in step.message.text()
