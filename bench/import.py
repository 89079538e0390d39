"""Import benchmark: SYNTHETIC supplier files imported through achatsdesk against `sqlite3 .import`; prints JSON.

Run: .venv/bin/python bench/import.py [--rows 300000 1000000] [--keep-files DIR]

For each size: the file is generated (made-up names and SIRETs, see
bench/search.py), then, in the same run and one after the other:
- the floor: the sqlite3 command-line shell's `.import` of the same file into
  a bare table (no index, no validation), in a fresh database;
- the reader alone: read_records over the file (parsing, validation, communes),
  nothing written;
- achatsdesk: `services.catalogue.import_file` in a child process into a fresh
  home (the shipped catalogue already loaded), with its peak memory (max RSS).
Everything lives in a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import resource, sys, time, json
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.catalogue import ensure_embedded_catalogue, import_file
db = open_database()
ensure_embedded_catalogue(db.engine)
steps, last = {}, [time.perf_counter()]
def progress(done, total, message):
    if not message.endswith("lignes lues"):
        now = time.perf_counter(); steps[message] = round(now - last[0], 2); last[0] = now
started = last[0] = time.perf_counter()
report = import_file(db, sys.argv[1], "csv", progress)
print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "added": report.added, "rejected": report.rejected,
                  "steps_s": steps, "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""

READER = """
import sys, time, json
from pathlib import Path
from achatsdesk.services.bootstrap import open_database
from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.importer import default_provenance
from achatsdesk.catalogue.reader import read_records
db = open_database()
with db.engine.connect() as conn:
    communes = CommuneIndex.from_connection(conn)
path = Path(sys.argv[1])
started = time.perf_counter()
rows = sum(1 for _ in read_records(path, "csv", default_provenance(path, "CSV"), communes))
print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "rows": rows}))
"""


def floor_import(csv_path: Path, db_path: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(db_path)], input=f".mode csv\n.separator ;\n.import {csv_path} bare\n",
                   text=True, check=True, capture_output=True)
    return round(time.perf_counter() - started, 2)


def run_child(code: str, csv_path: Path, home: Path) -> dict:
    env = {**os.environ, "ACHATSDESK_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", code, str(csv_path)], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    from bench.search import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--keep-files", type=Path, default=None, help="reuse or keep the generated files in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-import-"))
    files = args.keep_files or work
    files.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for rows in args.rows:
            csv_path = files / f"bench_suppliers_{rows}_SYNTHETIC.csv"
            if not csv_path.exists():
                generate(csv_path, rows, random.Random(20261126))
            floor = floor_import(csv_path, work / f"floor_{rows}.sqlite3")
            reader = run_child(READER, csv_path, work / f"home_reader_{rows}")
            ours = run_child(CHILD, csv_path, work / f"home_{rows}")
            results.append({
                "rows": rows, "file_mb": round(csv_path.stat().st_size / 2**20, 1),
                "sqlite3_import_floor_s": floor, "reader_alone_s": reader["seconds"], "achatsdesk": ours,
                "ratio_over_floor": round(ours["seconds"] / max(0.01, floor), 1),
            })
            shutil.rmtree(work / f"home_{rows}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "sqlite": __import__("sqlite3").sqlite_version, "load_average_at_end": os.getloadavg()},
        "imports": results,
        "targets": {"300000_s_max": 12, "1000000_s_max": 40, "peak_mb_max": 400},
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
