"""The insertion-sizing factors typed in the dossier editor are saved with the dossier,
restored on reopening, undoable, and drive the pre-filled hours (per lot when there are lots)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import Dossier, InsertionFactors, Lot
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def make_page(qtbot, shell_context):
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage

    page = DossiersPage(shell_context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def type_in(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    spin.clearFocus()


def test_a_factor_typed_is_saved_and_restored_when_the_dossier_is_reopened(qtbot, shell_context, database) -> None:
    dossier_id = svc.create_dossier(database, example())
    page = make_page(qtbot, shell_context)
    panel = page.open_dossier(dossier_id).clauses_extension.insertion
    assert plain(panel.formula_text()) == "1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h"

    type_in(qtbot, panel.rate, "10")
    type_in(qtbot, panel.hourly_cost, "40")
    assert plain(panel.formula_text()) == "1 200 000 € × 80 % × 10 % ÷ 40 €/h = 2 400 h"
    page.close_editor()  # saves
    stored = svc.get_dossier(database, dossier_id).dossier
    assert stored.insertion == InsertionFactors(rate=Decimal("0.1"), hourly_cost=Decimal("40"))

    editor = page.open_dossier(dossier_id)
    panel = editor.clauses_extension.insertion
    assert panel.rate.value() == pytest.approx(10) and panel.hourly_cost.value() == pytest.approx(40)
    assert panel.labour_share.value() == 0  # still "d'après le code CPV": only the typed factors are saved
    assert plain(panel.formula_text()).endswith("= 2 400 h")
    card = editor.clauses_extension.social.cards["insertion-heures"]
    assert card.form.values()["heures"] == 2400  # the suggestion is pre-filled from the saved factors
    assert editor.undo_stack.count() == 0  # reopening is not an edit
    page.close_editor()


def test_undo_reverts_a_factor_change_one_typed_value_at_a_time(qtbot, make_editor, database) -> None:
    dossier_id = svc.create_dossier(database, example())
    editor = make_editor(dossier_id)
    panel = editor.clauses_extension.insertion
    type_in(qtbot, panel.rate, "12")  # two keystrokes, one undo step
    type_in(qtbot, panel.taken_over, "50")
    assert editor.current_dossier().insertion == InsertionFactors(rate=Decimal("0.12"), taken_over_share=Decimal("0.5"))
    assert editor.undo_stack.count() == 2

    editor.undo_action.trigger()
    assert panel.taken_over.value() == 0 and panel.rate.value() == pytest.approx(12)
    assert editor.current_dossier().insertion == InsertionFactors(rate=Decimal("0.12"))
    assert plain(panel.formula_text()).endswith("= 3 840 h")  # 1 200 000 × 80 % × 12 % ÷ 30

    editor.undo_action.trigger()
    assert panel.rate.value() == pytest.approx(5) and editor.current_dossier().insertion is None
    assert plain(panel.formula_text()).endswith("= 1 600 h")
    editor.redo_action.trigger()
    assert panel.rate.value() == pytest.approx(12)
    editor.save_now()
    assert svc.get_dossier(database, dossier_id).dossier.insertion == InsertionFactors(rate=Decimal("0.12"))


def test_factors_are_read_only_in_review_mode(make_editor, database) -> None:
    dossier = example()
    dossier.insertion = InsertionFactors(labour_share=Decimal("0.6"))
    editor = make_editor(svc.create_dossier(database, dossier), review_mode=True)
    panel = editor.clauses_extension.insertion
    assert panel.labour_share.value() == pytest.approx(60)
    assert all(spin.isReadOnly() for spin in panel.spins.values())


def test_with_lots_the_sizing_is_shown_per_lot_and_the_clause_added_lot_by_lot(qtbot, make_editor, database) -> None:
    dossier = example()
    dossier.estimated_amount_eur = 0
    dossier.lots = [Lot("Collèges de l'ouest", "90911200-8", 900_000), Lot("Collèges de l'est", "90911200-8", 300_000)]
    dossier.insertion = InsertionFactors(labour_share=Decimal("0.5"))
    dossier_id = svc.create_dossier(database, dossier)
    editor = make_editor(dossier_id)
    extension = editor.clauses_extension
    formula = plain(extension.insertion.formula.text())
    assert "Collèges de l'ouest : <b>900 000 € × 50 % × 5 % ÷ 30 €/h = 750 h" in formula
    assert "Collèges de l'est : <b>300 000 € × 50 % × 5 % ÷ 30 €/h = 250 h" in formula
    assert "Total mutualisé : <b>1 000 h" in formula

    card = extension.social.cards["insertion-heures"]
    assert card.form.values()["heures"] == 1000  # the pooled total stays the whole-contract suggestion
    assert not card.per_lot_button.isHidden() and "750 h" in plain(card.per_lot.text())
    card.per_lot_button.click()
    chosen = [(c.lot, c.variables["heures"]) for c in editor.current_dossier().clauses if c.clause_id == "insertion-heures"]
    assert chosen == [(0, 750), (1, 250)]
    card = extension.social.cards["insertion-heures"]
    assert card.selected and card.per_lot_button.isHidden()
    assert plain(card.per_lot.text()).startswith("Retenue lot par lot")
    # Each lot's values are edited in place: the chooser says which lot the form shows.
    assert not card.lot_row.isHidden() and card.form.isEnabled()
    assert [card.lot_choice.itemText(i) for i in range(card.lot_choice.count())] == [
        "Lot 1 : Collèges de l'ouest", "Lot 2 : Collèges de l'est"]
    assert card.form.values()["heures"] == 750
    card.lot_choice.setCurrentIndex(1)
    assert card.form.values()["heures"] == 250
    card.form.editor("heures").setValue(400)
    chosen = [(c.lot, c.variables["heures"]) for c in editor.current_dossier().clauses]
    assert chosen == [(0, 750), (1, 400)]
    card = extension.social.cards["insertion-heures"]
    assert "400 h" in plain(card.per_lot.text()) and card.lot_choice.currentIndex() == 1
    editor.undo_action.trigger()  # the lot's edit is one undoable step
    assert [(c.lot, c.variables["heures"]) for c in editor.current_dossier().clauses] == [(0, 750), (1, 250)]
    card = extension.social.cards["insertion-heures"]
    assert card.form.values()["heures"] == 250

    editor.save_now()
    stored = svc.get_dossier(database, dossier_id).dossier.clauses
    assert [(c.clause_id, c.lot, c.variables["heures"]) for c in stored] == [
        ("insertion-heures", 0, 750), ("insertion-heures", 1, 250)]

    card.add_button.click()  # "Retirer du dossier": every lot's selection goes
    assert not editor.current_dossier().clauses
    editor.undo_action.trigger()
    assert len(editor.current_dossier().clauses) == 2

    card = extension.social.cards["insertion-heures"]
    editor.undo_action.trigger()  # before adding lot by lot
    assert not editor.current_dossier().clauses
    card = extension.social.cards["insertion-heures"]
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)  # for the whole contract: pooled hours
    chosen = [(c.lot, c.variables["heures"]) for c in editor.current_dossier().clauses]
    assert chosen == [(None, 1000)]


def test_a_chosen_insertion_clause_follows_the_factors_and_undo_restores_both(qtbot, make_editor, database) -> None:
    editor = make_editor(svc.create_dossier(database, example()))
    extension = editor.clauses_extension
    card = extension.social.cards["insertion-heures"]
    card.add_button.click()
    assert [c.variables["heures"] for c in editor.current_dossier().clauses] == [1600]

    type_in(qtbot, extension.insertion.rate, "10")
    assert [c.variables["heures"] for c in editor.current_dossier().clauses] == [3200]
    assert extension.social.cards["insertion-heures"].form.values()["heures"] == 3200

    editor.undo_action.trigger()
    dossier = editor.current_dossier()
    assert dossier.insertion is None and [c.variables["heures"] for c in dossier.clauses] == [1600]
