"""The checklist follows the clauses (issue 12): a clause answering an obligation marks its item
answered by it, with the clause named; removing the clause reopens the item."""

from __future__ import annotations

import json
from pathlib import Path

from achatsdesk.domain.checklist import ItemStatus
from achatsdesk.domain.dossier import ClauseSelection, Dossier
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_library import shipped_clauses
from achatsdesk.services.dossier_rules import analyse

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


def _item(analysis, obligation_id):
    return next(i for s in analysis.steps for i in s.items if i.obligation_id == obligation_id)


def test_adding_then_removing_an_answering_clause(qtbot, make_editor, database):
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.items = {}
    template = next(t for t in shipped_clauses() if t.id == "insertion-heures")
    obligation = template.obligations[0]
    assert _item(analyse(dossier), obligation).status == ItemStatus.A_FAIRE
    editor = make_editor(svc.create_dossier(database, dossier))
    item = _item(editor.analysis, obligation)
    row = next(p.rows[item.id] for p in editor.pages.values() if item.id in p.rows)
    assert row.status.currentData() == ItemStatus.A_FAIRE.value

    editor.apply_edit("Ajouter une clause", lambda d: d.clauses.append(ClauseSelection("insertion-heures", "1.0", {})))
    answered = _item(editor.analysis, obligation)
    assert answered.status == ItemStatus.FAIT and answered.answered_by == template.title
    assert row.status.currentData() == ItemStatus.FAIT.value
    assert f"Traité par la clause « {template.title} »" in row.title.text()
    assert editor.current_dossier().items.get(item.id) is None  # derived, not stored

    editor.apply_edit("Retirer une clause", lambda d: d.clauses.clear())
    reopened = _item(editor.analysis, obligation)
    assert reopened.status == ItemStatus.A_FAIRE and not reopened.answered_by
    assert row.status.currentData() == ItemStatus.A_FAIRE.value and "Traité par" not in row.title.text()
