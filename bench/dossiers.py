"""Dossiers benchmark: indicators and the dossiers list at 2 000 SYNTHETIC dossiers; prints JSON.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/dossiers.py [--dossiers 2000] [--runs 30] [--home DIR]

The dossiers are made up ("(fictif)" in every title), spread over ten launch
years, some with lots, each with a few clauses of the shipped library. In the
same run, interleaved call by call:
- `services.indicators.dossier_indicators` against the same figures computed
  from three plain sqlite3 queries (dossiers with their amount, chosen clauses,
  reviews) and a Python loop;
- `services.dossiers.list_dossiers` and its search field (one word typed,
  letter by letter) against the plain query behind the list.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLES = ["Nettoyage des locaux", "Entretien des espaces verts", "Restauration scolaire", "Travaux de voirie",
          "Collecte des déchets", "Maintenance informatique", "Fournitures de bureau", "Transport scolaire"]


def make_dossiers(database, count: int, rng: random.Random) -> None:
    """SYNTHETIC dossiers, written through the product's own save path."""
    from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
    from achatsdesk.services.clause_library import load_library
    from achatsdesk.services.dossiers import create_dossier

    clause_ids = [c.id for c in load_library(database).all()]
    for i in range(count):
        lots = [Lot(f"Lot {k + 1}", amount_eur=Decimal(rng.randint(5, 400) * 1000)) for k in range(rng.choice([0, 0, 2, 3]))]
        dossier = Dossier(
            f"{rng.choice(TITLES)} {i} (fictif)", reference=f"2026-{i:05d}",
            estimated_amount_eur=Decimal(rng.randint(10, 2000) * 1000),
            launch_date=None if i % 25 == 0 else date(2016 + i % 10, 1 + i % 12, 1 + i % 28), lots=lots,
            clauses=[ClauseSelection(c) for c in rng.sample(clause_ids, k=min(len(clause_ids), rng.randint(0, 6)))],
        )
        create_dossier(database, dossier)


def plain_indicators(raw: sqlite3.Connection, library) -> dict:
    """The baseline: three plain queries and a loop (no ORM, no domain objects)."""
    dossiers = raw.execute(
        "SELECT d.id, d.launch_date, coalesce((SELECT sum(amount_cents) FROM dossier_lot l WHERE l.dossier_id = d.id), "
        "d.estimated_amount_cents) FROM dossier d").fetchall()
    clauses: dict[int, list[str]] = {}
    for dossier_id, clause_id in raw.execute("SELECT dossier_id, clause_id FROM dossier_clause"):
        clauses.setdefault(dossier_id, []).append(clause_id)
    raw.execute("SELECT dossier_id, count(*) FROM dossier_review GROUP BY dossier_id").fetchall()
    years: dict = {}
    for dossier_id, launch, cents in dossiers:
        line = years.setdefault(launch[:4] if launch else "sans date", [0, 0, 0])
        line[0] += 1
        line[1] += cents or 0
        if any(library[c].eforms.get("BT-06") == "soc-obj" for c in clauses.get(dossier_id, ()) if c in library):
            line[2] += 1
    return years


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stats(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2)}


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--home", type=Path, default=None, help="keep the dossiers in this folder and reuse them")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-dossiers-"))
    os.environ["ACHATSDESK_HOME"] = str(args.home or work / "home")

    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.clause_library import load_library
    from achatsdesk.services.dossiers import count_dossiers, list_dossiers
    from achatsdesk.services.indicators import dossier_indicators

    database = open_database()
    started = time.perf_counter()
    missing = args.dossiers - count_dossiers(database)
    if missing > 0:
        make_dossiers(database, missing, random.Random(15))
    created_s = round(time.perf_counter() - started, 1)
    library = {c.id: c for c in load_library(database).all()}
    raw = database.engine.raw_connection()
    figures = {"indicators": ([], []), "list": ([], []), "list_search_per_key": ([], [])}
    plain_list = ("SELECT d.id, d.title, d.reference, d.buyer_name, d.status, d.launch_date, d.updated_at, "
                  "coalesce((SELECT sum(l.amount_cents) FROM dossier_lot l WHERE l.dossier_id = d.id), d.estimated_amount_cents) "
                  "FROM dossier d ORDER BY d.updated_at DESC, d.id DESC")
    word = "nettoyage"
    for _ in range(args.runs):
        figures["indicators"][0].append(timed(lambda: dossier_indicators(database)))
        figures["indicators"][1].append(timed(lambda: plain_indicators(raw, library)))
        figures["list"][0].append(timed(lambda: list_dossiers(database)))
        figures["list"][1].append(timed(lambda: raw.execute(plain_list).fetchall()))
        for n in range(1, len(word) + 1):
            figures["list_search_per_key"][0].append(timed(lambda n=n: list_dossiers(database, text=word[:n])))
            figures["list_search_per_key"][1].append(timed(lambda: raw.execute(plain_list).fetchall()))
    lines = dossier_indicators(database)
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version, "load_average": os.getloadavg()},
        "dossiers": count_dossiers(database), "created_s": created_s, "indicator_years": len(lines),
        "achatsdesk": {k: stats(v[0]) for k, v in figures.items()},
        "plain_queries": {k: stats(v[1]) for k, v in figures.items()},
        "targets": {"indicators_p95_ms_max": 60, "list_search_per_key_p95_ms_max": 16},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    raw.close()
    database.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
