"""achatsdesk-cli suppliers search | show | import, with the JSON shapes of the issue."""

from __future__ import annotations

import json

from achatsdesk.cli import main
from tests.catalogue.conftest import FIXTURES


def _json(capsys, argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_search_near_cergy_lists_real_esat_with_distances(catalogue_db, capsys):
    data = _json(capsys, ["suppliers", "search", "--near", "Cergy", "--radius-km", "15", "--kind", "ESAT", "--json"])
    assert set(data) == {"total", "total_is_exact", "elapsed_ms", "results"}
    assert data["total"] >= 5 and data["elapsed_ms"] >= 0 and data["total_is_exact"] is True
    first = data["results"][0]
    assert set(first) == {"siret", "name", "kind", "commune", "insee", "dept", "distance_km", "sectors", "source"}
    assert all(r["kind"] == "ESAT" and r["distance_km"] <= 15 for r in data["results"])
    assert any("ESAT" in r["name"] and r["dept"] == "95" for r in data["results"])
    assert "FINESS" in first["source"]


def test_search_emmau_and_odd_input(catalogue_db, capsys):
    data = _json(capsys, ["suppliers", "search", "emmau", "--json"])
    assert data["total"] >= 10 and all("EMMAUS" in r["name"].upper() for r in data["results"][:5])
    odd = _json(capsys, ["suppliers", "search", 'AND( "', "--json"])
    from achatsdesk.services.catalogue import search_suppliers

    assert odd["total"] == search_suppliers(catalogue_db, "and").total  # the word, without the operator


def test_search_text_output_and_bad_radius_usage(catalogue_db, capsys):
    assert main(["suppliers", "search", "emmau", "--dept", "54", "--limit", "3"]) == 0
    assert "structures" in capsys.readouterr().out
    assert main(["suppliers", "search", "--radius-km", "5"]) == 1
    assert "--near" in capsys.readouterr().err


def test_show_by_siret(catalogue_db, capsys):
    data = _json(capsys, ["suppliers", "show", "80746931700018", "--json"])
    assert data["name"] == "BALUCHON A TABLE CITOYENS" and data["kind"] == "EI"
    assert data["source_date"] == "2020-12" and data["sectors"][0]["origin"] == "derived"
    assert main(["suppliers", "show", "00000000000000"]) == 1
    assert "Aucune structure" in capsys.readouterr().err


def test_import_prints_the_report(catalogue_db, capsys):
    data = _json(capsys, ["suppliers", "import", str(FIXTURES / "lemarche_export_MADEUP.csv"), "--json"])
    assert data["added"] == 3 and data["rejected"] == 1
    assert data["rejections"] == [{"line": 5, "reason": data["rejections"][0]["reason"]}]
    assert main(["suppliers", "import", str(FIXTURES / "README.md"), "--format", "geiq"]) == 1
    assert "Erreur" in capsys.readouterr().err


def test_search_sorts_and_fast_total(catalogue_db, capsys):
    exact = _json(capsys, ["suppliers", "search", "a", "--json", "--limit", "5"])
    assert exact["total_is_exact"] is True and exact["total"] > 1000
    fast = _json(capsys, ["suppliers", "search", "a", "--json", "--limit", "5", "--fast-total"])
    assert (fast["total"], fast["total_is_exact"]) == (1000, False)
    assert [r["siret"] for r in fast["results"]] == [r["siret"] for r in exact["results"]]
    for order in ("name", "kind", "commune", "source_date"):
        rows = _json(capsys, ["suppliers", "search", "ass", "--sort", order, "--json", "--limit", "30"])["results"]
        desc = _json(capsys, ["suppliers", "search", "ass", "--sort", order, "--desc", "--json", "--limit", "30"])["results"]
        assert len(rows) == 30 and rows != desc
    kinds = [r["kind"] for r in _json(capsys, ["suppliers", "search", "--sort", "kind", "--json", "--limit", "50"])["results"]]
    assert kinds == sorted(kinds)
    near = _json(capsys, ["suppliers", "search", "--near", "Cergy", "--sort", "distance", "--desc", "--json"])["results"]
    distances = [r["distance_km"] for r in near]
    assert distances == sorted(distances, reverse=True)
