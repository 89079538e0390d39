"""Killing the application while the editor is autosaving keeps the saved dossier intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc

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
    script = tmp_path / "editing_app.py"
    script.write_text(EDITING_APP, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, str(script), str(dossier_id)], stdout=subprocess.PIPE, env=env)
    try:
        assert process.stdout.readline().strip() == b"ready"
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    conn = sqlite3.connect(database.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    stored = svc.get_dossier(database, dossier_id).dossier
    n = int(stored.title.split()[1])
    assert n >= 3 and stored.estimated_amount_eur == 1000 + n  # title and amount from the same save
