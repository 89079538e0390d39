"""In the dossier editor: suggestion cards, adding a clause, editing a variable with its
live wording, the insertion sizing formula and the lever with its suppliers."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def show_step(qtbot, editor, step_id: str) -> None:
    row = next(r for r in range(editor.nav.count()) if editor.nav.item(r).data(Qt.ItemDataRole.UserRole) == step_id)
    editor.nav.setCurrentRow(row)
    qtbot.waitExposed(editor)
    qtbot.wait(50)  # let the step's layout settle before clicking in it


def scroll_into_view(widget) -> None:
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture
def editor(qtbot, shell_context, database):
    from achatsdesk.ui.dossier.editor import DossierEditor

    dossier_id = svc.create_dossier(database, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))
    widget = DossierEditor(shell_context, dossier_id)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def test_suggestions_are_shown_on_the_social_and_environment_steps(editor) -> None:
    extension = editor.clauses_extension
    social, environment = extension.social.cards, extension.environment.cards
    assert "insertion-heures" in social and "condition-environnementale" in environment
    assert "critere-environnemental" in environment and "nettoyage-produits-ecolabellises" in environment
    card = social["insertion-heures"]
    assert "obligatoire" in card.why.text() and card.document.text().startswith("CCAP")
    assert card.add_button.text() == "Ajouter au dossier"
    # every mandatory obligation of the dossier has a card on one of the two steps
    mandatory = {o.id for o in editor.analysis.assessment.mandatory()}
    covered = {oid for card in (*social.values(), *environment.values()) for oid in card.suggestion.obligation_ids}
    assert mandatory <= covered


def test_add_a_suggested_clause_then_edit_a_variable_and_see_the_preview_change(qtbot, editor) -> None:
    show_step(qtbot, editor, "social")
    notice = editor.clauses_extension.notice  # on the Relecture step
    assert "Aucune clause retenue" in notice.text()
    card = editor.clauses_extension.social.cards["insertion-heures"]
    scroll_into_view(card.add_button)
    qtbot.wait(50)
    assert card.add_button.isVisible() and card.add_button.width() > 0
    assert card.form.values()["heures"] == 1600  # pre-filled from the sizing of this dossier
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    chosen = [c for c in editor.current_dossier().clauses if c.clause_id == "insertion-heures"]
    assert len(chosen) == 1 and chosen[0].variables["heures"] == 1600 and chosen[0].version
    assert card.add_button.text() == "Retirer du dossier"
    assert "soc-obj" in notice.text() and "opp (Emploi des personnes" in notice.text()  # what the notice declares

    card.details_button.setChecked(True)
    assert card.details.isVisible()
    before = card.preview.wording()
    assert "1\u202f600\u00a0heures" in before
    card.form.editor("heures").setValue(2000)
    after = card.preview.wording()
    assert after != before and "2\u202f000\u00a0heures" in after
    stored = next(c for c in editor.current_dossier().clauses if c.clause_id == "insertion-heures")
    assert stored.variables["heures"] == 2000

    editor.undo_action.trigger()  # the variable edit is an undoable edit of the dossier
    stored = next(c for c in editor.current_dossier().clauses if c.clause_id == "insertion-heures")
    assert stored.variables["heures"] == 1600
    editor.save_now()
    saved = svc.get_dossier(editor.context.database, editor.dossier_id).dossier
    assert [c.clause_id for c in saved.clauses] == ["insertion-heures"]

    card.add_button.click()
    assert not [c for c in editor.current_dossier().clauses if c.clause_id == "insertion-heures"]


def test_insertion_sizing_shows_its_formula_and_its_factors_are_editable(editor) -> None:
    panel = editor.clauses_extension.insertion
    assert plain(panel.formula_text()) == "1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h"
    assert "à vérifier" in panel.notes.text()  # the cleaning labour share is not from a primary source
    panel.rate.setValue(10)
    assert plain(panel.formula_text()).endswith("= 3 200 h")
    card = editor.clauses_extension.social.cards["insertion-heures"]
    assert card.form.values()["heures"] == 3200  # not yet added: the suggestion follows the sizing
    panel.taken_over.setValue(50)
    assert plain(panel.formula_text()).endswith("= 1 600 h") and "repris" in panel.formula_text()


def test_the_lever_is_shown_with_its_suppliers(editor) -> None:
    lever = editor.clauses_extension.lever
    assert lever.advice is not None
    assert lever.advice.decision.label in lever.verdict.text()
    assert lever.table.rowCount() == len(lever.advice.suppliers)
    assert "Cergy" in lever.reasons.text()
    if lever.advice.suppliers:
        assert lever.table.item(0, 0).text() == lever.advice.suppliers[0].name


def test_review_mode_cannot_add_clauses(qtbot, shell_context, database) -> None:
    from achatsdesk.ui.dossier.editor import DossierEditor

    dossier_id = svc.create_dossier(database, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))
    widget = DossierEditor(shell_context, dossier_id, review_mode=True)
    qtbot.addWidget(widget)
    card = widget.clauses_extension.social.cards["insertion-heures"]
    assert not card.add_button.isEnabled()


def test_the_sourcing_box_sums_up_the_local_supply(editor) -> None:
    extension = editor.clauses_extension
    advice = extension.lever.advice
    text = extension.sourcing.text()
    assert f"{advice.decision.supplier_count} structure" in text and advice.decision.label in text


def test_a_stale_lever_count_is_not_shown(editor) -> None:
    lever = editor.clauses_extension.lever
    current = lever._generation
    assert lever._current(current) and not lever._current(current - 1)


def test_an_older_version_in_the_dossier_is_pointed_out(qtbot, shell_context, database) -> None:
    from achatsdesk.domain.dossier import ClauseSelection
    from achatsdesk.ui.dossier.editor import DossierEditor

    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.clauses = [ClauseSelection("insertion-heures", "0.9", {"heures": 1000})]
    dossier_id = svc.create_dossier(database, dossier)
    widget = DossierEditor(shell_context, dossier_id)
    qtbot.addWidget(widget)
    card = widget.clauses_extension.social.cards["insertion-heures"]
    assert card.selected and card.form.values()["heures"] == 1000  # the buyer's value, not the sizing
    assert "version 0.9 retenue" in card.why.text()


def test_suggestion_cards_are_diffed_by_clause_id(editor) -> None:
    from achatsdesk.domain.suggestions import SuggestionReport

    panel = editor.clauses_extension.social
    report = editor.clauses_extension.report
    shown = [s for s in report.suggestions if s.clause.id in panel.cards]
    assert len(shown) >= 2
    before = dict(panel.cards)
    changed = list(reversed(shown[1:]))  # the first one gone, the others in the opposite order
    panel.show_report(SuggestionReport(tuple(changed), ()), {}, False)
    assert list(panel.cards) == [s.clause.id for s in changed]
    assert all(panel.cards[i] is before[i] for i in panel.cards)  # kept, not recreated
    in_layout = [panel._layout.itemAt(i).widget() for i in range(panel._layout.count())]
    assert [w for w in in_layout if w in panel.cards.values()] == list(panel.cards.values())
    panel.show_report(SuggestionReport(tuple(shown), ()), {}, False)
    assert list(panel.cards) == [s.clause.id for s in shown]
    assert panel.cards[shown[0].clause.id] is not before[shown[0].clause.id]  # removed, then made anew
