"""The export dialog lists the core consistency check: export anyway, or go to the item (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from achatsdesk.domain.dossier import ClauseSelection, Dossier
from achatsdesk.services import dossiers as svc
from achatsdesk.ui.dossier import export_check_dialog, export_extension
from achatsdesk.ui.dossier.export_check_dialog import ExportCheckDialog

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


def _editor(make_editor, database):
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {"heures": 2000})]
    return make_editor(svc.create_dossier(database, dossier))


def test_the_export_shows_the_check_and_goes_to_the_item(qtbot, make_editor, database, monkeypatch, tmp_path):
    editor = _editor(make_editor, database)
    shown = []
    asked_where = []

    def review(parent, warnings):
        shown.append(warnings)
        return export_check_dialog.GO_TO, next(w for w in warnings if w.code == "hours")

    monkeypatch.setattr(export_check_dialog, "review_warnings", review)
    monkeypatch.setattr(export_extension, "choose_destination", lambda *a: asked_where.append(a) or "")
    editor.nav.setCurrentRow(0)
    editor.export_actions.annex_action.trigger()
    assert shown and any("2\u202f000\u00a0h saisies" in w.message for w in shown[0])
    assert editor.current_step() == "social"
    assert asked_where == []  # going to the item exports nothing

    monkeypatch.setattr(export_check_dialog, "review_warnings", lambda parent, warnings: (export_check_dialog.EXPORT, None))
    monkeypatch.setattr(export_extension, "choose_destination", lambda *a: str(tmp_path / "annexe.docx"))
    monkeypatch.setattr(export_extension, "offer_to_open", lambda *a: False)
    editor.export_actions.annex_action.trigger()
    assert (tmp_path / "annexe.docx").is_file()  # "Exporter quand même"


def test_the_check_dialog_lists_the_warnings(qtbot, make_editor, database):
    from achatsdesk.services.exports import export_warnings

    editor = _editor(make_editor, database)
    warnings = export_warnings(editor.current_dossier(), database)
    dialog = ExportCheckDialog(warnings, editor)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(warnings) >= 2
    assert dialog.selected() is warnings[0]
    dialog.go_button.click()
    assert dialog.choice == export_check_dialog.GO_TO
