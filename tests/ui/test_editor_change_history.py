"""The Relecture step shows who changed the dossier and when (the history the database's triggers
write), read when the step is shown, not while the buyer types."""

from __future__ import annotations

import getpass


def relecture_row(editor) -> int:
    return [step.id for step in editor.analysis.steps].index("relecture")


def test_the_relecture_step_lists_the_changes_with_their_author(qtbot, make_editor, example_id):
    editor = make_editor(example_id)
    editor.fields.title.setFocus()
    qtbot.keyClicks(editor.fields.title, " 2027")  # ASCII: accents crash offscreen Qt's key events here
    editor.save_now()
    editor.nav.setCurrentRow(relecture_row(editor))
    text = editor.changes.text()
    assert text.startswith("Historique des modifications :")
    lines = text.splitlines()[1:]
    assert "Modification (révision 2)" in lines[0]  # newest first
    assert "Création (révision 1)" in lines[-1]
    assert all(f"par {getpass.getuser()}" in line for line in lines)


def test_a_long_history_is_cut_with_the_command_that_shows_it_whole():
    from datetime import datetime

    from achatsdesk.services.team import ChangeEntry
    from achatsdesk.ui.dossier.review_bar import MAX_CHANGES_SHOWN, changes_text

    entries = [ChangeEntry(n, "modification", "dupont", datetime(2026, 12, 1, 9, n % 60)) for n in range(1, 31)]
    lines = changes_text(entries).splitlines()
    assert len(lines) == 1 + MAX_CHANGES_SHOWN + 1
    assert "(révision 30) par dupont" in lines[1] and "dossier history" in lines[-1]
    assert changes_text([]) == "Aucune modification enregistrée pour l'instant."
