"""`clauses suggest` on a dossier JSON carrying its own insertion-sizing factors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from achatsdesk.cli import main
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def write(tmp_path: Path, **changes) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8")) | changes
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def suggest(capsys, path: Path, *extra: str) -> tuple[int, dict, str]:
    code = main(["clauses", "suggest", str(path), "--no-lever", "--json", *extra])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def insertion_clause(document: dict) -> dict:
    return next(s for s in document["suggestions"] if s["id"] == "insertion-heures")


def test_hours_come_from_the_dossiers_factors_as_a_subprocess(database, tmp_path) -> None:
    path = write(tmp_path, insertion={"labour_share": 0.5, "rate": 0.1, "hourly_cost": 40})
    result = subprocess.run(
        [sys.executable, "-m", "achatsdesk.cli", "clauses", "suggest", str(path), "--no-lever", "--json"],
        capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    # 1 200 000 € × 50 % × 10 % ÷ 40 €/h = 1 500 h (the defaults would give 1 600 h)
    assert document["insertion"]["total_hours"] == 1500 and document["insertion"]["factors_from_dossier"] is True
    line = document["insertion"]["lines"][0]
    assert (line["labour_share"], line["rate"], line["hourly_cost"]) == (0.5, 0.1, 40)
    assert insertion_clause(document)["variables"]["heures"] == 1500


def test_taken_over_share_from_the_dossier_and_the_flag_wins(capsys, database, tmp_path) -> None:
    path = write(tmp_path, insertion={"taken_over_share": 0.5})
    code, document, _ = suggest(capsys, path)
    assert code == 0 and document["insertion"]["total_hours"] == 800  # 1 600 h × (1 − 50 %)
    code, document, _ = suggest(capsys, path, "--taken-over-share", "0")
    assert code == 0 and document["insertion"]["total_hours"] == 1600


def test_without_factors_the_defaults_apply(capsys, database, tmp_path) -> None:
    code, document, _ = suggest(capsys, write(tmp_path))
    assert code == 0 and document["insertion"]["total_hours"] == 1600
    assert document["insertion"]["factors_from_dossier"] is False


def test_lots_give_per_lot_hours_beside_the_pooled_total(capsys, database, tmp_path) -> None:
    path = write(tmp_path, estimated_amount_eur=0, insertion={"labour_share": 0.5, "hourly_cost": 25},
                 lots=[{"title": "Ouest", "cpv": "90911200-8", "amount_eur": 700000},
                       {"title": "Est", "cpv": "90911200-8", "amount_eur": 300000}])
    code, document, _ = suggest(capsys, path)
    assert code == 0
    clause = insertion_clause(document)
    assert [(lot["lot"], lot["variables"]["heures"]) for lot in clause["lots"]] == [(0, 700), (1, 300)]
    assert clause["variables"]["heures"] == document["insertion"]["total_hours"] == 1000


def test_a_bad_factor_is_refused_in_french(capsys, database, tmp_path) -> None:
    code, _, err = suggest(capsys, write(tmp_path, insertion={"rate": 5}))
    assert code != 0 and "insertion.rate" in err and "entre 0 et 1" in err
