"""The clause commands, run in-process (fast) and, for the issue's two checks, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from achatsdesk.cli import main
from achatsdesk.services.clause_format import clause_from_dict
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE

FIXTURE = Path(__file__).parent.parent / "fixtures" / "clauses" / "user-clause.json"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_insertion_hours_worked_example_as_a_subprocess(database) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "achatsdesk.cli", "insertion", "hours", "--amount", "1000000", "--labour-share", "0.5",
         "--rate", "0.05", "--hourly-cost", "30", "--json"],
        capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["hours"] == 833 and "arrondies" in document["rounding"]


def test_clauses_suggest_example_as_a_subprocess(database) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "achatsdesk.cli", "clauses", "suggest", str(EXAMPLE), "--json"],
        capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    check = subprocess.run(
        [sys.executable, "-m", "achatsdesk.cli", "dossier", "check", str(EXAMPLE), "--json"],
        capture_output=True, text=True, env=dict(os.environ), timeout=120,
    )
    mandatory = [o["id"] for o in json.loads(check.stdout)["obligations"] if o["status"] == "obligatoire"]
    assert mandatory and document["uncovered_obligations"] == []
    covered = {oid for s in document["suggestions"] for oid in s["obligations"]}
    assert set(mandatory) <= covered
    insertion = next(s for s in document["suggestions"] if s["id"] == "insertion-heures")
    assert insertion["variables"]["heures"] == document["insertion"]["total_hours"] == 1600
    assert document["lever"]["lever"] in {"reserver-marche", "reserver-lot", "clause-insertion", "critere-social", "aucun"}


def test_clauses_list_json_gives_typed_templates(capsys, database) -> None:
    code, out, _ = run(capsys, "clauses", "list", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["total"] >= 45
    for clause in document["clauses"]:
        assert clause["legal_basis"] and clause["document"] in {"RC", "CCAP", "CCTP", "AAPC"} and clause["kind"]
        assert all(v["type"] in {"integer", "decimal", "percent", "money", "text", "choice", "date"} for v in clause["variables"])
    code, out, _ = run(capsys, "clauses", "list", "--document", "RC", "--json")
    assert {c["document"] for c in json.loads(out)["clauses"]} == {"RC"}


def test_clauses_show_and_render(capsys, database) -> None:
    code, out, _ = run(capsys, "clauses", "show", "critere-cout-cycle-vie", "--json")
    shown = json.loads(out)
    assert code == 0 and "à vérifier" in shown["to_confirm"][0] and "Coût du cycle de vie" in shown["rendered_with_defaults"]
    code, out, _ = run(capsys, "clauses", "render", "insertion-heures", "--var", "heures=1200", "--var", "duree_mois=36", "--json")
    rendered = json.loads(out)
    assert code == 0 and "1\u202f200\u00a0heures" in rendered["text"] and rendered["variables"]["heures"] == 1200


def test_errors_are_french_with_exit_codes(capsys, database) -> None:
    code, _, err = run(capsys, "clauses", "render", "insertion-heures", "--var", "heures=-5")
    assert code == 1 and "« heures »" in err
    code, _, err = run(capsys, "clauses", "show", "inconnue")
    assert code == 1 and "n'existe pas" in err
    code, _, err = run(capsys, "clauses", "render", "insertion-heures", "--var", "heures")
    assert code == 1 and "NOM=VALEUR" in err
    with pytest.raises(SystemExit) as exited:
        main(["insertion", "hours", "--amount", "1000", "--labour-share", "5"])
    assert exited.value.code == 2 and "entre 0 et 1" in capsys.readouterr().err


def test_insertion_hours_reads_the_share_from_the_cpv(capsys, database) -> None:
    code, out, _ = run(capsys, "insertion", "hours", "--amount", "1200000", "--cpv", "90911200-8", "--json")
    document = json.loads(out)
    assert code == 0 and document["hours"] == 1600 and document["labour_share_to_confirm"] is True


def test_levers_json_lists_the_suppliers_behind_the_advice(capsys, database) -> None:
    code, out, _ = run(capsys, "levers", str(EXAMPLE), "--json")
    document = json.loads(out)
    assert code == 0
    assert document["supplier_count"] >= len(document["suppliers"]) and document["reasons"]
    assert "Cergy" in document["area"]
    assert all(s["distance_km"] <= 30 for s in document["suppliers"])


def test_levers_text_output_writes_distances_the_french_way(capsys, database) -> None:
    import re

    code, out, _ = run(capsys, "levers", str(EXAMPLE))
    supplier_lines = [line for line in out.splitlines() if line.lstrip().startswith("- ")]
    assert code == 0 and supplier_lines
    assert not re.search(r"\d\.\d\s*km", out)
    assert all(re.search(r"\d,\d\u00a0km", line) for line in supplier_lines)


def test_pack_export_and_import_through_the_cli(capsys, database, tmp_path) -> None:
    from achatsdesk.services.clause_library import save_user_clause

    save_user_clause(database, clause_from_dict(json.loads(FIXTURE.read_text("utf-8"))))
    pack = tmp_path / "pack.zip"
    code, out, _ = run(capsys, "clauses", "export", str(pack), "--json")
    assert code == 0 and json.loads(out)["clauses"] == 1
    code, out, _ = run(capsys, "clauses", "import", str(pack), "--json")
    assert code == 0 and json.loads(out)["updated"] == ["perso-insertion-locale"]


def test_insertion_hours_needs_a_share_or_a_cpv(capsys, database) -> None:
    code, _, err = run(capsys, "insertion", "hours", "--amount", "1000000")
    assert code == 1 and "--labour-share" in err
