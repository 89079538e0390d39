"""dossier check prints each lot's procedure and the small-lots budget, says plainly that a
concession is not judged, and warns when stored dossiers may split one need."""

from __future__ import annotations

import json

from achatsdesk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data, name="dossier.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


DIVIDED = {
    "title": "Entretien des bâtiments (fictif)", "buyer": {"name": "Commune fictive", "kind": "collectivite"},
    "nature": "services", "cpv": ["90911200-8"], "launch_date": "2026-12-01",
    "lots": [{"title": "Écoles", "amount_eur": 350000}, {"title": "Vitrerie", "amount_eur": 70000},
             {"title": "Gymnase", "amount_eur": 30000, "small_lot": True}, {"title": "Crèche"}],
}


def test_divided_dossier_prints_lots_and_small_lots(capsys, tmp_path):
    code, out, _ = run(capsys, "dossier", "check", write(tmp_path, DIVIDED), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["scope"] == {"judged": True}
    lots = document["lots"]
    assert [lot["index"] for lot in lots] == [1, 2, 3, 4]
    assert set(lots[0]) >= {"index", "title", "amount_eur", "procedure", "small_lot"}
    assert set(lots[0]["procedure"]) >= {"id", "basis", "explanation", "publicity"}
    assert [lot["procedure"]["id"] for lot in lots] == ["formalisee", "formalisee", "dispense", "a_renseigner"]
    assert [lot["small_lot"] for lot in lots] == [False, False, True, False]  # the buyer chose lot 3 only
    assert lots[3]["amount_eur"] is None and "« Crèche »" in lots[3]["procedure"]["explanation"]
    assert document["small_lots"]["cap_eur"] == 90000 and document["small_lots"]["used_eur"] == 30000
    assert document["small_lots"]["within_cap"] is True
    assert document["procedure"]["publicity"]["id"] == "joue_boamp"
    assert any("« Crèche »" in w for w in document["warnings"])
    code, text, _ = run(capsys, "dossier", "check", write(tmp_path, DIVIDED))
    assert "Lot 3 « Gymnase » : sans publicité ni mise en concurrence préalables (petit lot)" in text
    assert "Petits lots :" in text


def test_concession_is_not_judged_and_has_no_obligations(capsys, tmp_path):
    concession = {"title": "Délégation de la restauration (fictif)", "contract_kind": "concession",
                  "nature": "services", "estimated_amount_eur": 8000000, "launch_date": "2026-12-01"}
    code, out, _ = run(capsys, "dossier", "check", write(tmp_path, concession), "--json")
    document = json.loads(out)
    assert code == 0 and document["scope"]["judged"] is False
    assert "ne juge pas les concessions" in document["scope"]["reason"]
    assert document["obligations"] == [] and document["procedure"]["id"] == "non_examinee"
    _, text, _ = run(capsys, "dossier", "check", write(tmp_path, concession))
    assert text.startswith("Non examiné : Concession")


def _stored(capsys, tmp_path, name, title, cpv, amount, buyer="Commune fictive", year=2026):
    data = {"title": title, "buyer": {"name": buyer, "kind": "collectivite"}, "nature": "services",
            "cpv": [cpv], "estimated_amount_eur": amount, "launch_date": f"{year}-03-01"}
    assert run(capsys, "dossier", "import", write(tmp_path, data, name))[0] == 0


def test_homogeneous_needs_warning_names_the_other_dossiers(capsys, tmp_path):
    # two stored cleaning dossiers of the same buyer in 2026, each under 216 000 €, together above it
    _stored(capsys, tmp_path, "a.json", "Nettoyage des écoles (fictif)", "90911200-8", 120000)
    _stored(capsys, tmp_path, "b.json", "Nettoyage des gymnases (fictif)", "90919200-4", 60000)
    # unrelated: another buyer, another family, another year
    _stored(capsys, tmp_path, "c.json", "Nettoyage (autre acheteur, fictif)", "90911200-8", 150000, buyer="Autre commune")
    _stored(capsys, tmp_path, "d.json", "Informatique (fictif)", "30213100-6", 150000)
    _stored(capsys, tmp_path, "e.json", "Nettoyage 2025 (fictif)", "90911200-8", 150000, year=2025)
    new = {"title": "Nettoyage des crèches (fictif)", "buyer": {"name": "commune FICTIVE", "kind": "collectivite"},
           "nature": "services", "cpv": ["90911300-9"], "estimated_amount_eur": 50000, "launch_date": "2026-09-01"}
    _, out, _ = run(capsys, "dossier", "check", write(tmp_path, new), "--json")
    warnings = [w for w in json.loads(out)["warnings"] if "fractionné" in w]
    assert len(warnings) == 1
    assert "« Nettoyage des écoles (fictif) »" in warnings[0] and "« Nettoyage des gymnases (fictif) »" in warnings[0]
    assert "R2121-6" in warnings[0] and "230\u202f000" in warnings[0]
    for unrelated in ("autre acheteur", "Informatique", "2025"):
        assert unrelated not in warnings[0]


def test_no_warning_for_unrelated_dossiers(capsys, tmp_path):
    _stored(capsys, tmp_path, "a.json", "Nettoyage des écoles (fictif)", "90911200-8", 120000)
    _stored(capsys, tmp_path, "d.json", "Informatique (fictif)", "30213100-6", 150000)
    new = {"title": "Maintenance (fictif)", "buyer": {"name": "Commune fictive", "kind": "collectivite"},
           "nature": "services", "cpv": ["50000000-5"], "estimated_amount_eur": 150000, "launch_date": "2026-09-01"}
    _, out, _ = run(capsys, "dossier", "check", write(tmp_path, new), "--json")
    assert not [w for w in json.loads(out)["warnings"] if "fractionné" in w]
