"""Programme benchmark: 2 000 planned purchases judged in one pass; prints JSON.

Run: .venv/bin/python bench/programme.py [--lines N]

The programme is SYNTHETIC: the 37 readable lines of the fictitious example
(examples/programme-2027.csv) repeated with varied amounts and quarters up to
N lines, written as a CSV in a temporary folder. Measured in the same run:

- ``programme``: ``judge_programme`` on the file (reading, reference look-ups,
  the rules, the lever against the catalogue, the sizing, the flags, the totals);
- ``naive_dossier_check``: the baseline the issue names, ``dossier check`` (the
  CLI command, in process) called once per line on that line's dossier JSON.

The target is ``programme_s`` ≤ 2 s for 2 000 lines on this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "programme-2027.csv"


def synthetic_programme(target: Path, lines: int, seed: int = 17) -> None:
    rng = random.Random(seed)
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[1], [r for r in rows[2:] if r[5] != "abc" and r[3] != "99999999-9" and r[6]]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for number in range(1, lines + 1):
            row = list(rng.choice(body))
            row[0] = str(number)
            row[2] = f"{row[2]} (synthétique {number})"
            if not row[8]:  # lines with lots keep their amounts; the others vary
                row[5] = f"{rng.randrange(20, 900) * 1000}"
            row[6] = f"T{rng.randint(1, 4)} 2027"
            writer.writerow(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-programme-"))
    os.environ["ACHATSDESK_HOME"] = str(home)

    from achatsdesk.cli import main as cli
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.programme import judge_programme, result_document

    database = open_database()
    source = home / "programme-synthetique.csv"
    synthetic_programme(source, args.lines)

    judge_programme(EXAMPLE, database, year=2027)  # warm the rule files and the imports, as a window would be
    started = time.perf_counter()
    result = judge_programme(source, database, year=2027)
    programme_s = time.perf_counter() - started
    document = result_document(result)

    folder = home / "dossiers"
    folder.mkdir()
    paths = []
    for line in document["lines"]:
        if line["dossier"] is not None:
            path = folder / f"{line['line']}.json"
            path.write_text(json.dumps(line["dossier"], ensure_ascii=False), encoding="utf-8")
            paths.append(path)
    started = time.perf_counter()
    mismatches = 0
    for path, line in zip(paths, (li for li in document["lines"] if li["dossier"] is not None), strict=True):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli(["dossier", "check", str(path), "--json"])
        check = json.loads(out.getvalue())
        if check["procedure"] != line["procedure"] or [(o["id"], o["status"]) for o in check["obligations"]] != [
                (o["id"], o["status"]) for o in line["obligations"]]:
            mismatches += 1
    naive_s = time.perf_counter() - started
    database.dispose()

    print(json.dumps({
        "lines": args.lines,
        "judged": result.totals.judged,
        "programme_s": round(programme_s, 3),
        "programme_lines_per_s": round(args.lines / programme_s),
        "naive_dossier_check_s": round(naive_s, 3),
        "naive_dossier_checks": len(paths),
        "speedup": round(naive_s / programme_s, 2),
        "target_programme_s": 2.0,
        "within_target": programme_s <= 2.0,
        "mismatches_with_dossier_check": mismatches,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
