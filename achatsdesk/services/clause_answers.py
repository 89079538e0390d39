"""The checklist follows the clauses: an item still to do whose obligation a chosen clause
answers is shown done, answered by that clause (named); removing the clause reopens it.

Derived at each analysis, never stored: the buyer's own answer (fait, sans objet with its
justification) always wins, and nothing has to be undone when a clause goes.
"""

from __future__ import annotations

from dataclasses import replace

from achatsdesk.domain.checklist import ChecklistStep, ItemStatus
from achatsdesk.domain.dossier import Dossier


def answered_by_clauses(steps: list[ChecklistStep], dossier: Dossier, templates=None) -> list[ChecklistStep]:
    """``templates``: the clause templates to look the chosen ids up in (default: the shipped library)."""
    if not dossier.clauses:
        return steps
    if templates is None:
        from achatsdesk.services.clause_library import shipped_clauses

        templates = shipped_clauses()
    by_id = {t.id: t for t in templates}
    answering: dict[str, str] = {}  # obligation id -> title of the first chosen clause answering it
    for selection in dossier.clauses:
        template = by_id.get(selection.clause_id)
        for obligation in template.obligations if template is not None else ():
            answering.setdefault(obligation, template.title)
    for step in steps:
        for index, item in enumerate(step.items):
            title = answering.get(item.obligation_id or "")
            if title and item.status == ItemStatus.A_FAIRE:
                state = replace(item.state, status=ItemStatus.FAIT)
                step.items[index] = replace(item, state=state, answered_by=title)
    return steps
