"""Start-up time of `achatsdesk --self-check` against a bare PySide6 window.

Prints one JSON document: the median over 5 runs of each (whole process,
from launch to exit), and their ratio; also the in-process time to the main
window's first paint. The database is already at head, so this is the quick
start: the first paint shows the dossiers list, read with plain sqlite3, and
the self-check exits after it. In the same run, `--self-check --until-ready`
also waits, as a normal start does, for the ORM database opened on a worker
thread after the first paint (whole process and in-process "ready" times); it
also includes what a normal start installs right after the first paint (the
wheel guard, the journal's rotating handler: app.py ``_after_first_paint``).
Targets (issue 2): median <= 1.0 s on a 2-core machine; ratio <= 1.5 (issue 15),
also with a full home (`--home DIR`: e.g. 1 000 000 suppliers and 2 000 dossiers
left by bench/search.py --home and bench/dossiers.py --home; no first start then).
Also times the first-start load of the reference data (target < 2 s).
Run with `make bench` (offscreen).
"""

from __future__ import annotations

import compileall
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import achatsdesk

RUNS = 5

BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    return timed_with_output(command, env)[0]


def timed_with_output(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, result.stdout


PAINT = re.compile(r"peinte en ([0-9.]+) s")
READY = re.compile(r"prête en ([0-9.]+) s")


def main() -> int:
    import argparse
    import contextlib

    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, default=None, help="an existing home (already started once) instead of an empty one")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # Installed, achatsdesk runs from bytecode (PyInstaller bundles .pyc files,
    # pip compiles at install), like PySide6 here; a checkout with
    # PYTHONDONTWRITEBYTECODE set would otherwise recompile it at every run.
    compileall.compile_dir(str(Path(achatsdesk.__file__).parent), quiet=1)
    with (contextlib.nullcontext(str(args.home)) if args.home else tempfile.TemporaryDirectory()) as home:
        env["ACHATSDESK_HOME"] = home
        # First start: schema creation and reference data load (not in the median).
        first_start = timed([sys.executable, "-m", "achatsdesk", "--self-check"], env)
        achatsdesk_runs, first_paints, until_ready_runs, readies, bare_runs = [], [], [], [], []
        for _ in range(args.runs):  # interleaved, so that a busy moment weighs on both sides
            bare_runs.append(timed([sys.executable, "-c", BARE_WINDOW], env))
            elapsed, output = timed_with_output([sys.executable, "-m", "achatsdesk", "--self-check"], env)
            achatsdesk_runs.append(elapsed)
            first_paints.append(float(PAINT.search(output).group(1)))
            elapsed, output = timed_with_output(
                [sys.executable, "-m", "achatsdesk", "--self-check", "--until-ready"], env
            )
            until_ready_runs.append(elapsed)
            readies.append(float(READY.search(output).group(1)))

    from achatsdesk.storage.database import make_engine
    from achatsdesk.storage.migrate import ensure_schema
    from achatsdesk.storage.reference_data import ensure_reference_data

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "db.sqlite3"
        ensure_schema(db_path, Path(folder) / "backups")
        engine = make_engine(db_path)
        started = time.perf_counter()
        ensure_reference_data(engine)
        reference_load = time.perf_counter() - started
        engine.dispose()

    median = statistics.median(achatsdesk_runs)
    bare = statistics.median(bare_runs)
    paint = statistics.median(first_paints)
    print(
        json.dumps(
            {
                "benchmark": "startup",
                "runs": args.runs,
                "home": "given" if args.home else "empty",
                "load_average": os.getloadavg(),
                "cpu_count": os.cpu_count(),
                "self_check_median_s": round(median, 3),
                "bare_pyside6_window_median_s": round(bare, 3),
                "ratio": round(median / bare, 2),
                "first_paint_median_s": round(paint, 3),
                "until_ready_median_s": round(statistics.median(until_ready_runs), 3),
                "database_ready_median_s": round(statistics.median(readies), 3),
                "first_paint_ratio": round(paint / bare, 2),
                "first_start_s": round(first_start, 3),
                "reference_data_load_s": round(reference_load, 3),
                "targets": {"self_check_median_s": 1.0, "ratio": 1.5, "reference_data_load_s": 2.0},
                "met": median <= 1.0 and median / bare <= 1.5 and reference_load < 2.0,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
