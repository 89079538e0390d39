"""The head's decision buttons follow the connected person's rights (team mode hides them from a
buyer; the server refuses regardless: tests/team)."""

from __future__ import annotations

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc
from achatsdesk.services.team import TeamRights
from achatsdesk.ui.dossier.review_bar import NOT_A_HEAD, ReviewBar


def _decision_widgets(bar: ReviewBar):
    return (bar.reviewer, bar.comment, bar.validate_button, bar.rework_button)


def test_a_buyer_sees_no_decision_buttons_and_a_head_signs_with_the_login_role(qtbot):
    bar = ReviewBar()
    qtbot.addWidget(bar)
    bar.apply_rights(TeamRights("bob", frozenset({"acheteur"}), ("Voirie",), is_team=True))
    assert all(widget.isHidden() for widget in _decision_widgets(bar))
    assert not bar.not_allowed.isHidden() and bar.not_allowed.text() == NOT_A_HEAD

    bar.apply_rights(TeamRights("cecile", frozenset({"acheteur", "chef"}), ("Voirie",), is_team=True))
    assert not any(widget.isHidden() for widget in _decision_widgets(bar))
    assert bar.not_allowed.isHidden()
    assert bar.reviewer.text() == "cecile" and bar.reviewer.isReadOnly()


def test_alone_on_the_local_file_the_editor_keeps_every_decision_button(qtbot, make_editor, database):
    dossier_id = svc.create_dossier(database, Dossier("Voirie (fictif)"))
    svc.record_review(database, dossier_id, "envoye", "", "")
    editor = make_editor(dossier_id, review_mode=True)
    bar = editor.review_bar
    assert not any(widget.isHidden() for widget in _decision_widgets(bar)) and bar.not_allowed.isHidden()
    assert not bar.reviewer.isReadOnly()  # alone, the name is typed (and remembered)
