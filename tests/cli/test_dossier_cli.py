"""achatsdesk-cli dossier check / import / export / list / show."""

from __future__ import annotations

import json
from pathlib import Path

from achatsdesk.cli import main
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_the_documented_shape(capsys, achatsdesk_home):
    code, out, _ = run(capsys, "dossier", "check", str(EXAMPLE), "--json")
    assert code == 0
    document = json.loads(out)
    # issue 11 adds the scope, the value estimation, the lots and the small-lots summary
    assert set(document) == {"scope", "procedure", "value_estimation", "lots", "small_lots", "obligations",
                             "checklist", "warnings"}
    assert document["scope"] == {"judged": True} and document["lots"] == [] and document["small_lots"] is None
    assert document["warnings"] == []  # the example gives amount, launch date, CPV and place
    assert document["procedure"]["id"] == "formalisee"
    assert document["procedure"]["threshold_eur"] == 216000 and "1\u202f200\u202f000" in document["procedure"]["explanation"]
    statuses = {o["id"]: o["status"] for o in document["obligations"]}
    assert statuses["env-execution-condition"] == "obligatoire"
    assert statuses["env-award-criterion"] == "obligatoire"
    assert statuses["social-execution-condition"] == "obligatoire"
    for obligation in document["obligations"]:
        assert {"id", "status", "title", "legal_basis", "applies_from", "explanation"} <= set(obligation)
    assert [s["step"] for s in document["checklist"]] == [
        "besoin", "allotissement", "social", "environnement", "criteres", "execution", "relecture"]
    assert all(isinstance(s["items"], list) and s["items"] for s in document["checklist"])
    assert not (achatsdesk_home / "data" / "achatsdesk.sqlite3").exists()  # nothing stored


def test_check_refuses_a_bad_file_in_french(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "nature": "bijoux"}', encoding="utf-8")
    code, _, err = run(capsys, "dossier", "check", str(bad), "--json")
    assert code == 1 and "Valeur « bijoux » invalide" in err
    code, _, err = run(capsys, "dossier", "check", str(tmp_path / "absent.json"))
    assert code == 1 and "introuvable" in err


def test_import_list_show_export_round_trip(capsys, database, tmp_path):
    code, out, _ = run(capsys, "dossier", "import", str(EXAMPLE), "--json")
    assert code == 0
    dossier_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "dossier", "list", "--json")
    rows = json.loads(out)["dossiers"]
    assert [(r["id"], r["title"], r["amount_eur"]) for r in rows] == [(dossier_id, "Nettoyage des collèges", 1200000)]
    code, out, _ = run(capsys, "dossier", "show", str(dossier_id), "--json")
    shown = json.loads(out)
    assert shown["dossier"]["place_insee"] == "95127" and shown["procedure"]["id"] == "formalisee"
    target = tmp_path / "envoi.achatsdesk"
    code, out, _ = run(capsys, "dossier", "export", str(dossier_id), "-o", str(target))
    assert code == 0 and target.is_file()
    code, out, _ = run(capsys, "dossier", "import", str(target))
    assert code == 0 and "conservé tel quel" in out
    code, out, _ = run(capsys, "dossier", "list")
    assert out.count("Nettoyage des collèges") == 2
    code, _, err = run(capsys, "dossier", "show", "999")
    assert code == 1 and "n'existe pas" in err


def test_check_a_works_dossier_with_lots(capsys):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "dossiers" / "travaux-groupe-scolaire.json"
    code, out, _ = run(capsys, "dossier", "check", str(fixture), "--json")
    document = json.loads(out)
    assert code == 0
    # the lots add up to exactly the works threshold of 2026-2027
    assert (document["procedure"]["id"], document["procedure"]["threshold_eur"]) == ("formalisee", 5404000)
    statuses = {o["id"]: o["status"] for o in document["obligations"]}
    assert statuses["env-execution-condition"] == "recommande"  # launched on 20 Aug 2026, the day before
    assert statuses["social-execution-condition"] == "recommande"
    assert statuses["insertion-clause"] == "recommande" and statuses["lots"] == "information"
    assert "spaser" not in statuses


def test_show_prints_french_labels_not_raw_ids(capsys, database):
    code, out, _ = run(capsys, "dossier", "import", str(EXAMPLE), "--json")
    dossier_id = json.loads(out)["id"]
    from achatsdesk.services import dossiers as svc

    svc.record_review(database, dossier_id, "a_reprendre", "Cheffe de service (fictive)", "Voir l'allotissement")
    code, out, _ = run(capsys, "dossier", "show", str(dossier_id))
    assert code == 0
    assert "Procédure : procédure formalisée" in out and "formalisee" not in out
    assert "[À faire]" in out and "a_faire" not in out
    assert "par Cheffe de service (fictive) : À reprendre" in out and "a_reprendre" not in out


def test_check_warns_when_essential_facts_are_missing(capsys, tmp_path):
    bare = tmp_path / "bare.json"
    bare.write_text('{"title": "x"}', encoding="utf-8")
    code, out, _ = run(capsys, "dossier", "check", str(bare), "--json")
    warnings = json.loads(out)["warnings"]
    assert code == 0 and len(warnings) == 4
    for word in ("montant", "date de lancement", "CPV", "lieu"):
        assert any(word in w for w in warnings), word
    code, out, _ = run(capsys, "dossier", "check", str(bare))
    assert out.startswith("Attention") and "montant estimé" in out


def test_before_the_date_the_recommended_reading_ends_the_day_before(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["launch_date"] = "2026-08-20"
    source = tmp_path / "avant.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "dossier", "check", str(source), "--json")
    by_id = {o["id"]: o for o in json.loads(out)["obligations"]}
    for oid in ("env-execution-condition", "env-award-criterion", "social-execution-condition"):
        assert (by_id[oid]["status"], by_id[oid]["applies_from"], by_id[oid]["applies_until"]) == (
            "recommande", None, "2026-08-20"), oid
    code, out, _ = run(capsys, "dossier", "check", str(source))
    assert out.count("Lecture valable jusqu'au 20 août 2026 inclus.") == 3


def test_list_json_keeps_cents(capsys, database, tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["estimated_amount_eur"] = 215999.99
    source = tmp_path / "centimes.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    run(capsys, "dossier", "import", str(source))
    code, out, _ = run(capsys, "dossier", "list", "--json")
    assert json.loads(out)["dossiers"][0]["amount_eur"] == 215999.99
    code, out, _ = run(capsys, "dossier", "list")
    assert "215\u202f999,99\u00a0€\u00a0HT" in out


def test_duplicate_makes_a_new_draft_without_launch_date(capsys, database):
    code, out, _ = run(capsys, "dossier", "import", str(EXAMPLE), "--json")
    original = json.loads(out)["id"]
    code, out, _ = run(capsys, "dossier", "duplicate", str(original), "--json")
    assert code == 0
    made = json.loads(out)
    assert made["from"] == original and made["id"] != original and made["title"] == "Copie de Nettoyage des collèges"
    code, out, _ = run(capsys, "dossier", "show", str(made["id"]), "--json")
    shown = json.loads(out)["dossier"]
    assert shown["launch_date"] is None and shown["place_insee"] == "95127" and shown["status"] == "brouillon"
    code, out, _ = run(capsys, "dossier", "duplicate", str(original))
    assert code == 0 and "date de lancement" in out
    code, _, err = run(capsys, "dossier", "duplicate", "999")
    assert code == 1 and "n'existe pas" in err


def test_indicators_by_launch_year(capsys, database):
    code, out, _ = run(capsys, "dossier", "indicators")
    assert code == 0 and "Aucun dossier" in out
    run(capsys, "dossier", "import", str(EXAMPLE))
    code, out, _ = run(capsys, "dossier", "indicators", "--json")
    assert code == 0
    assert json.loads(out)["years"] == [{
        "year": 2026, "dossiers": 1, "amount_eur": 1200000, "social": 0, "social_amount_eur": 0,
        "environmental": 0, "environmental_amount_eur": 0, "insertion_hours": 0, "reserved": 0,
    }]
    code, out, _ = run(capsys, "dossier", "indicators")
    assert "2026 : 1 dossier," in out and "clause sociale : 0 (0\u00a0% du montant)" in out
