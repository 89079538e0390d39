"""The command line, run as a user would (a subprocess), in a temporary ACHATSDESK_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "achatsdesk.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def home_with_database(paths, database):
    """A home whose database is already built, so each CLI call starts fast."""
    return paths


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("achatsdesk ")


def test_usage_error_exits_2_in_french() -> None:
    result = run_cli("cpv", "search")
    assert result.returncode == 2
    assert "erreur" in result.stderr


def test_doctor_json_reports_reference_counts(home_with_database) -> None:
    result = run_cli("doctor", "--json", env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["database"]["at_head"] is True
    assert report["reference"]["cpv"] == 9454
    assert report["reference"]["naf_sous_classes"] == 732
    assert report["reference"]["communes"] >= 34900
    assert report["qt"]["ok"] is True


def test_cpv_search_json(home_with_database) -> None:
    result = run_cli("cpv", "search", "nettoyage de batiments", "--json")
    assert result.returncode == 0, result.stderr
    codes = [r["code"] for r in json.loads(result.stdout)["results"]][:5]
    assert "90911200-8" in codes


def test_communes_search_json(home_with_database) -> None:
    cergy = json.loads(run_cli("communes", "search", "Cergy", "--json").stdout)["results"]
    assert cergy[0]["insee"] == "95127" and cergy[0]["latitude"] and cergy[0]["longitude"]
    names = {r["name"] for r in json.loads(run_cli("communes", "search", "95000", "--json").stdout)["results"]}
    assert {"Cergy", "Pontoise"} <= names


def test_newer_database_gives_french_error_and_exit_1(home_with_database) -> None:
    import sqlite3

    conn = sqlite3.connect(home_with_database.database)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    result = run_cli("cpv", "search", "papier")
    assert result.returncode == 1
    assert "version plus récente" in result.stderr
    assert "Traceback" not in result.stderr


def test_unexpected_error_is_one_french_line_and_logged(home_with_database) -> None:
    import sqlite3

    conn = sqlite3.connect(home_with_database.database)
    conn.execute("DROP TABLE cpv_fts")
    conn.commit()
    conn.close()
    result = run_cli("cpv", "search", "papier")
    assert result.returncode == 1
    assert "erreur inattendue" in result.stderr and "journal" in result.stderr
    assert "Traceback" not in result.stderr
    assert "cpv_fts" in (home_with_database.logs / "achatsdesk.log").read_text(encoding="utf-8")


def test_usage_errors_are_in_french() -> None:
    missing = run_cli("cpv", "search")
    assert "arguments obligatoires manquants" in missing.stderr and "required" not in missing.stderr
    assert missing.stderr.startswith("utilisation : ")
    wrong = run_cli("cpv", "search", "papier", "--limit", "beaucoup")
    assert wrong.returncode == 2 and "valeur invalide" in wrong.stderr
    extra = run_cli("doctor", "--pas-une-option")
    assert extra.returncode == 2 and "arguments non reconnus" in extra.stderr
