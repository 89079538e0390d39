"""Catalogue benchmark: 300 000 synthetic suppliers, imported then searched; prints JSON.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/search.py [--rows N] [--queries N] [--no-window]

Every supplier here is SYNTHETIC (made-up names and SIRETs, clustered around
real communes); the file is named accordingly and lives in a temporary
folder. Steps: generate the CSV; import it through the generic CSV importer
in a child process (time and peak memory); run 200 queries of each shape
through achatsdesk's search and through a naive FTS5 query on the same data;
then, unless --no-window, time keystrokes in the catalogue window.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource  # noqa: F401 - used by the import child
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIVITIES = [("Nettoyage", "8121Z"), ("Espaces verts", "8130Z"), ("Bâtiment", "4399C"), ("Recyclage", "3832Z"),
              ("Restauration", "5629B"), ("Blanchisserie", "9601A"), ("Transport", "4941A"), ("Logistique", "5210B"),
              ("Informatique", "6202A"), ("Maraîchage", "0113Z"), ("Menuiserie", "4332A"), ("Peinture", "4334Z"),
              ("Textile", "1413Z"), ("Propreté urbaine", "8129A"), ("Déménagement", "4942Z"), ("Mise à disposition", "7830Z")]
# The 40 largest cities (INSEE codes; Paris, Marseille and Lyon by arrondissement).
CITIES = {
    *(f"751{i:02d}" for i in range(1, 21)), *(f"132{i:02d}" for i in range(1, 17)), *(f"6938{i}" for i in range(1, 10)),
    "31555", "06088", "44109", "67482", "34172", "33063", "59350", "35238", "51454", "83137", "42218", "76351",
    "38185", "21231", "49007", "30189", "69266", "13001", "29019", "63113", "87085", "37261", "80021", "66136",
    "57463", "25056", "45234", "14118", "68224", "95127", "93066", "92012", "93048", "92050",
}
CITY_WEIGHT = 60.0
KINDS = [("ACI", 35), ("EI", 18), ("AI", 12), ("ETTI", 6), ("GEIQ", 3), ("ESAT", 20), ("EA", 6)]


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body + "0")):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def load_communes() -> list[tuple[str, str, str, float, float]]:
    rows = []
    with (ROOT / "resources/data/communes_cog2026.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["latitude"]:
                rows.append((r["code_insee"], r["nom"], r["codes_postaux"].split("|")[0], float(r["latitude"]), float(r["longitude"])))
    return rows


def name_vocabulary() -> tuple[list[str], list[int]]:
    """Words of the real catalogue's names with their frequencies: synthetic names follow the same
    distribution (about one real name in four holds "assoc", one in four "esat")."""
    from collections import Counter

    from achatsdesk.domain.text import words

    counts: Counter = Counter()
    with (ROOT / "resources/data/catalogue_structures.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            counts.update({w for w in words(row["name"]) if len(w) >= 3 and not w.isdigit()})
    vocabulary, weights = zip(*counts.most_common(), strict=True)
    return list(vocabulary), list(weights)


def generate(path: Path, count: int, rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    communes = load_communes()
    vocabulary, frequencies = name_vocabulary()
    # Clustered as real ones are: every commune may host a few, the large cities many more.
    weights = [CITY_WEIGHT if c[0] in CITIES else 1.0 for c in communes]
    hubs = communes
    kinds, kind_weights = zip(*KINDS, strict=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["siret", "raison sociale", "type", "naf", "code postal", "commune", "code insee", "latitude", "longitude"])
        chosen = rng.choices(hubs, weights, k=count)
        for i, (insee, name, postcode, lat, lon) in enumerate(chosen):
            activity, naf = rng.choice(ACTIVITIES)
            writer.writerow([
                luhn_complete(f"{900000000 + i:09d}0001"),
                " ".join(w.upper() for w in rng.choices(vocabulary, frequencies, k=rng.randint(2, 3))) + f" {activity}",
                rng.choices(kinds, kind_weights)[0], naf, postcode, name, insee,
                f"{lat + rng.gauss(0, 0.03):.5f}", f"{lon + rng.gauss(0, 0.04):.5f}",
            ])
    return hubs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stats(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2)}


IMPORT_CHILD = """
import resource, sys, time, json
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.catalogue import import_file
db = open_database()
started = time.perf_counter()
report = import_file(db, sys.argv[1], "csv")
print(json.dumps({"seconds": round(time.perf_counter() - started, 2), "added": report.added,
                  "rejected": report.rejected, "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def timed(fn, queries) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args()
    rng = random.Random(20261126)
    work = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-"))
    os.environ["ACHATSDESK_HOME"] = str(work / "home")

    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import ensure_embedded_catalogue, search_suppliers
    from achatsdesk.storage.supplier_search import _HAVERSINE

    database = open_database()
    ensure_embedded_catalogue(database.engine)
    csv_path = work / "bench_suppliers_SYNTHETIC.csv"
    hubs = generate(csv_path, args.rows, rng)
    child = subprocess.run([sys.executable, "-c", IMPORT_CHILD, str(csv_path)], capture_output=True, text=True,
                           env={**os.environ}, cwd=ROOT, check=True)
    imported = json.loads(child.stdout.strip().splitlines()[-1])

    with database.engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one()
        # The densest place: the hub with the most suppliers within 10 km.
        dense = conn.exec_driver_sql(
            "SELECT insee, count(*) c FROM supplier WHERE insee IS NOT NULL GROUP BY insee ORDER BY c DESC LIMIT 10"
        ).all()
    dense_insee = ["75056", "13055", "69123"]  # Paris, Marseille, Lyon: the densest places
    # Queries are words of real names, as often as buyers would meet them, cut to 3-6 letters as typed.
    vocabulary, frequencies = name_vocabulary()
    words = rng.choices(vocabulary, frequencies, k=4 * args.queries)
    one_word = [w[: rng.randint(3, 6)] for w in words[: args.queries]]
    kinds = [k for k, _ in KINDS]
    shape2 = [(w[: rng.randint(3, 6)], rng.choice(kinds), rng.choice(hubs)[0]) for w in words[args.queries : 2 * args.queries]]
    shape3 = [dense_insee[i % len(dense_insee)] for i in range(args.queries)]
    # warm the page cache once, as a window that has been open for a moment has
    search_suppliers(database, "net")
    ours = {
        "one_word_prefix": timed(lambda q: search_suppliers(database, q), one_word),
        "text_kind_radius_30km": timed(lambda q: search_suppliers(database, q[0], kinds=[q[1]], near=q[2], radius_km=30), shape2),
        "radius_30km_dense": timed(lambda q: search_suppliers(database, near=q, radius_km=30), shape3),
    }

    # A header click: the whole matching set in name order (not compared with the naive query).
    ordered = {
        "one_word_prefix": timed(lambda q: search_suppliers(database, q, order="name"), one_word),
        "whole_catalogue": timed(lambda q: search_suppliers(database, order="name", descending=q), [False, True] * 5),
    }

    from achatsdesk.domain.geo import bounding_box
    from achatsdesk.domain.text import fts_prefix_query

    with database.engine.connect() as conn:
        communes = {r[0]: (r[1], r[2]) for r in conn.exec_driver_sql("SELECT insee, latitude, longitude FROM commune").all()}
        raw = conn.connection.dbapi_connection

        def naive_text(q: str) -> None:
            raw.execute("SELECT rowid FROM supplier_fts WHERE supplier_fts MATCH ? ORDER BY bm25(supplier_fts) LIMIT 50",
                        (fts_prefix_query(q),)).fetchall()

        def naive_text_kind_radius(q) -> None:
            lat, lon = communes[q[2]]
            box = bounding_box(lat, lon, 30)
            raw.execute(
                "SELECT s.id FROM supplier_fts f JOIN supplier s ON s.id = f.rowid WHERE supplier_fts MATCH ? AND s.kind = ? "
                "AND s.latitude BETWEEN ? AND ? AND s.longitude BETWEEN ? AND ? ORDER BY bm25(supplier_fts) LIMIT 50",
                (fts_prefix_query(q[0]), q[1], box.min_lat, box.max_lat, box.min_lon, box.max_lon)).fetchall()

        def naive_radius(q) -> None:
            lat, lon = communes[q]
            sql = _HAVERSINE.replace(":lat", str(lat)).replace(":lon", str(lon))
            raw.execute(f"SELECT id FROM (SELECT s.id, {sql} AS d FROM supplier s) WHERE d <= 30 ORDER BY d LIMIT 50").fetchall()

        naive = {
            "one_word_prefix": timed(naive_text, one_word),
            "text_kind_radius_30km": timed(naive_text_kind_radius, shape2),
            "radius_30km_dense": timed(naive_radius, shape3),
        }
    sample = search_suppliers(database, near=dense_insee[0], radius_km=30)
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "sqlite": __import__("sqlite3").sqlite_version},
        "suppliers": total,
        "synthetic_rows": args.rows,
        "import": imported,
        "most_suppliers_in_one_commune": list(dense[0]), "paris_results_30km": sample.total,
        "achatsdesk": {k: stats(v) for k, v in ours.items()},
        "ordered_by_name": {k: stats(v) for k, v in ordered.items()},
        "naive_fts5": {k: stats(v) for k, v in naive.items()},
        "ratio_naive_over_achatsdesk_p95": {
            k: round(stats(naive[k])["p95_ms"] / max(0.01, stats(ours[k])["p95_ms"]), 1) for k in ours
        },
        "targets": {"achatsdesk_p95_ms_max": 20, "ratio_min": 10, "import_s_max": 30, "import_peak_mb_max": 400},
    }
    if not args.no_window:
        from bench.catalogue_window import keystroke_times

        report["window_keystroke"] = stats(keystroke_times(database, one_word[:60]))
        report["targets"]["window_keystroke_p95_ms_max"] = 50
    print(json.dumps(report, ensure_ascii=False, indent=2))
    database.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
