"""Other areas add panels and actions to the dossier editor through these modules,
so that the editor never imports them and nobody edits the editor to plug in.

Each listed module, when it exists, defines ``extend(editor)``. The editor
offers: ``editor.context`` (ShellContext), ``editor.dossier_id`` (int | None),
``editor.current_dossier()`` (domain Dossier), ``editor.dossier_changed``
(Signal(object) emitted with the Dossier after each edit),
``editor.add_step_widget(step_id, widget)`` with step ids besoin,
allotissement, social, environnement, criteres, execution, relecture, and
``editor.add_action(action)`` (toolbar and menu of the editor), and
``editor.apply_edit(label, mutation, key="")``: change the dossier through the
editor's undo stack (``mutation`` takes the Dossier and edits it in place; the
edit is undoable with Ctrl+Z and autosaved), and
``editor.shortlist_snapshot()`` (dict | None: the shortlist that came with a
dossier imported from another machine, as plain data, since local list ids
differ between machines).
"""

from __future__ import annotations

import importlib

EXTENSION_MODULES = (
    "achatsdesk.ui.dossier.clauses_extension",  # clause suggestions, insertion sizing, lever
    "achatsdesk.ui.dossier.export_extension",  # Word annex, PDF report, shortlist XLSX
    "achatsdesk.ui.dossier.shortlist_extension",  # the dossier's supplier shortlist
    "achatsdesk.ui.dossier.execution_step",  # the Exécution step: award, follow-up, penalties
)


def extend(editor) -> None:
    for name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that area is not built yet
            raise
        module.extend(editor)
