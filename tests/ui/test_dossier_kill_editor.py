"""Killing the application while the editor is autosaving keeps the saved dossier intact."""

from __future__ import annotations

import textwrap

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc
from tests.sigkill import assert_intact, kill_while_writing

EDITING_APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from achatsdesk.paths import app_paths
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.storage.database import Database
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.dossier.editor import DossierEditor
    from achatsdesk.ui.settings import Settings

    app = QApplication([])
    paths = app_paths()
    database = Database(paths.database)
    context = ShellContext(paths, database, Settings(paths.config), ReferenceService(database))
    editor = DossierEditor(context, int(sys.argv[1]))
    n = 0
    while True:
        n += 1
        editor.fields.title.setText(f"rev {n}")
        editor.fields.title.textEdited.emit(f"rev {n}")
        editor.fields.amount.setText(str(1000 + n))
        editor.fields.amount.textEdited.emit(str(1000 + n))
        editor.save_now()
        if n == 3:
            print("ready", flush=True)
""")


def test_kill_while_editing_never_loses_a_saved_dossier(database, tmp_path):
    dossier_id = svc.create_dossier(database, Dossier("Avant (fictif)", estimated_amount_eur=5))
    database.dispose()
    kill_while_writing(EDITING_APP, [str(dossier_id)], tmp_path, env={"QT_QPA_PLATFORM": "offscreen"}, writing_for=0.5)
    assert_intact(database.path)
    stored = svc.get_dossier(database, dossier_id).dossier
    n = int(stored.title.split()[1])
    assert n >= 3 and stored.estimated_amount_eur == 1000 + n  # title and amount from the same save
