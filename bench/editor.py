"""Editor keystroke benchmark: one key in the amount, one in a clause variable, with 2 000 SYNTHETIC dossiers stored.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/editor.py [--dossiers 2000] [--keys 60] [--home DIR]

The example dossier (examples/nettoyage-colleges.json) is opened in the
dossier editor, offscreen, in a home holding 2 000 made-up dossiers (see
bench/dossiers.py). Each figure is from a key press until the events it
posted are processed (the obligations panel, the suggestion cards and the
lever refreshed; the lever's catalogue count, when one is needed, runs on a
worker as in the application). Baseline in the same run: a bare QLineEdit
updating a QLabel.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def keystrokes(app, widget, keys: str) -> list[float]:
    from PySide6.QtTest import QTest

    times = []
    for key in keys:
        started = time.perf_counter()
        QTest.keyClick(widget, key)
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    from bench.dossiers import make_dossiers, stats

    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--home", type=Path, default=None, help="keep the dossiers in this folder and reuse them")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-editor-"))
    os.environ["ACHATSDESK_HOME"] = str(args.home or work / "home")

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.paths import app_paths
    from achatsdesk.services import dossiers as svc
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.dossier.editor import DossierEditor
    from achatsdesk.ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    database = open_database()
    missing = args.dossiers - svc.count_dossiers(database)
    if missing > 0:
        make_dossiers(database, missing, random.Random(15))
    example = Dossier.from_dict(json.loads((ROOT / "examples/nettoyage-colleges.json").read_text(encoding="utf-8")))
    dossier_id = svc.create_dossier(database, example)
    paths = app_paths().ensure()
    editor = DossierEditor(ShellContext(paths, database, Settings(paths.config), ReferenceService(database)), dossier_id)
    editor.resize(1200, 800)
    editor.show()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)

    bare = QWidget()
    line, label = QLineEdit(), QLabel()
    line.textChanged.connect(label.setText)
    QVBoxLayout(bare).addWidget(line)
    bare.layout().addWidget(label)
    bare.show()
    app.processEvents()

    digits = ("1234567890" * (args.keys // 10 + 1))[: args.keys]
    amount = editor.fields.amount
    amount.setFocus()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        amount.setFocus()
        amount.selectAll()
        cProfile.runctx("keystrokes(app, amount, '1234567')", globals(), locals(), "/tmp/editor.prof")
        pstats.Stats("/tmp/editor.prof").sort_stats("cumulative").print_stats(40)
    ours_amount, baseline = [], []
    for chunk in range(0, len(digits), 10):  # interleaved with the baseline, ten keys at a time
        amount.selectAll()
        QTest.keyClick(amount, Qt.Key.Key_Delete)
        app.processEvents()
        ours_amount += keystrokes(app, amount, digits[chunk : chunk + 10])
        line.clear()
        baseline += keystrokes(app, line, digits[chunk : chunk + 10])

    extension = editor.clauses_extension
    card = extension.social.cards["insertion-heures"]
    card.add_button.click()
    app.processEvents()
    card = extension.social.cards["insertion-heures"]
    card.details_button.setChecked(True)
    field = card.form.editor("heures")
    field.setFocus()
    ours_variable = []
    for chunk in range(0, len(digits), 10):
        field.selectAll()
        QTest.keyClick(field.lineEdit() if hasattr(field, "lineEdit") else field, Qt.Key.Key_Delete)
        app.processEvents()
        ours_variable += keystrokes(app, field, digits[chunk : chunk + 4])
    lever = extension.lever
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "dossiers": svc.count_dossiers(database),
        "amount_keystroke": stats(ours_amount),
        "clause_variable_keystroke": stats(ours_variable),
        "bare_line_edit_keystroke": stats(baseline),
        "lever_counts_started": lever.counts_started,
        "targets": {"keystroke_p95_ms_max": 16},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    editor.close()
    svc.delete_dossier(database, dossier_id)  # a reused home keeps its 2 000 dossiers only
    database.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
