"""The window's side of issue 11: each lot's procedure and the small-lot choice in the lots
editor with its budget, the justification required before an item is done, the kind of contract.

Texts typed with qtbot.keyClicks stay ASCII: QTest aborts on some accented keys offscreen.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from achatsdesk.domain.checklist import ItemStatus
from achatsdesk.domain.dossier import Buyer, BuyerKind, ContractKind, Dossier, Lot, Nature
from achatsdesk.services import dossiers as svc


def divided(database) -> int:
    # cap 20 % of 500 000 € = 100 000 €; achatsdesk proposes the 20 002 € lot (smallest first)
    lots = [Lot("Ecoles", None, 79_999), Lot("Colleges", None, 80_000), Lot("Gymnase", None, 20_002),
            Lot("Mairie", None, 319_999)]
    return svc.create_dossier(database, Dossier(
        "Nettoyage des batiments (fictif)", buyer=Buyer("Commune fictive", BuyerKind.COLLECTIVITE),
        nature=Nature.SERVICES, cpv=["90911200-8"], launch_date=date(2026, 12, 1), lots=lots))


def box(editor, row):
    return editor.lots.table.item(row, 3)


def test_lots_editor_shows_each_lots_procedure_and_the_budget(qtbot, make_editor, database):
    editor = make_editor(divided(database))
    editor.nav.setCurrentRow(1)
    table = editor.lots.table
    assert [table.item(r, 4).text().split(" · ")[0] for r in range(4)] == [
        "procédure formalisée", "procédure formalisée", "sans publicité ni mise en concurrence préalables",
        "procédure formalisée"]
    assert [box(editor, r).checkState() == Qt.CheckState.Checked for r in range(4)] == [False, False, True, False]
    budget = editor.lots.budget.text()
    assert "20\u202f002" in budget and "100\u202f000" in budget and "Proposition d'achatsdesk" in budget
    assert editor.lots.budget.isVisibleTo(editor)


def test_choosing_a_small_lot_over_the_cap_is_refused_with_a_french_message(qtbot, make_editor, database):
    dossier_id = divided(database)
    editor = make_editor(dossier_id)
    editor.nav.setCurrentRow(1)
    box(editor, 0).setCheckState(Qt.CheckState.Checked)  # 79 999 + 20 002 = 100 001 > 100 000
    assert editor.lots.choice_error.text().startswith("Petit lot refusé")
    assert "100\u202f001" in editor.lots.choice_error.text() and editor.lots.choice_error.isVisibleTo(editor)
    assert box(editor, 0).checkState() == Qt.CheckState.Unchecked  # the choice is refused
    assert [lot.small_lot for lot in editor.current_dossier().lots] == [None] * 4  # nothing recorded
    # untick the proposed lot, then the first one fits
    box(editor, 2).setCheckState(Qt.CheckState.Unchecked)
    assert [lot.small_lot for lot in editor.current_dossier().lots] == [False] * 4
    box(editor, 0).setCheckState(Qt.CheckState.Checked)
    assert not editor.lots.choice_error.isVisibleTo(editor)
    assert [lot.small_lot for lot in editor.current_dossier().lots] == [True, False, False, False]
    assert editor.lots.table.item(0, 4).text().startswith("procédure adaptée")
    editor.save_now()
    assert [lot.small_lot for lot in svc.get_dossier(database, dossier_id).dossier.lots] == [True, False, False, False]
    editor.undo_stack.undo()
    assert [lot.small_lot for lot in editor.current_dossier().lots] == [False] * 4


def test_a_lot_that_is_not_small_cannot_be_chosen(qtbot, make_editor, database):
    editor = make_editor(divided(database))
    box(editor, 1).setCheckState(Qt.CheckState.Checked)  # 80 000 €: not under 80 000 €
    assert "ne peut pas être un petit lot" in editor.lots.choice_error.text()
    assert box(editor, 1).checkState() == Qt.CheckState.Unchecked


def test_justification_required_before_an_item_is_done(qtbot, make_editor, example_id, database):
    editor = make_editor(example_id)  # no lots: not dividing must be justified (L2113-11)
    editor.nav.setCurrentRow(1)
    row = editor.pages["allotissement"].rows["lots-decision"]
    before = editor.step_label("allotissement")
    row.status.setCurrentIndex(row.status.findData("fait"))
    assert "L2113-11" in row.error.text() and row.error.isVisibleTo(editor)
    assert row.justification.isVisibleTo(editor) and "L2113-11" in row.justification.placeholderText()
    assert "lots-decision" not in editor.current_dossier().items  # refused: nothing recorded
    assert editor.step_label("allotissement") == before
    qtbot.keyClicks(row.justification, "Prestations indissociables sur un meme site")
    assert row.error.text() == ""
    state = editor.current_dossier().items["lots-decision"]
    assert state.status == ItemStatus.FAIT and state.justification.startswith("Prestations")
    assert editor.step_label("allotissement") != before
    editor.save_now()
    assert svc.get_dossier(database, example_id).dossier.items["lots-decision"].justification.startswith("Prestations")


def test_a_concession_is_said_not_judged_at_the_top_of_the_panel(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    assert not editor.obligations.scope.isVisibleTo(editor)
    assert editor.obligations.publicity.text().startswith("Publicité : avis au JOUE et au BOAMP")
    combo = editor.contract.kind
    combo.setCurrentIndex(combo.findData(ContractKind.CONCESSION.value))
    combo.activated.emit(combo.currentIndex())
    assert editor.current_dossier().contract_kind == ContractKind.CONCESSION
    assert editor.obligations.scope.isVisibleTo(editor)
    assert "ne juge pas les concessions" in editor.obligations.scope.text()
    assert editor.obligations.rows == {}
