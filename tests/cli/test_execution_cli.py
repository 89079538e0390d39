"""achatsdesk-cli dossier award / realised / import-report / follow-up / returns, contracts import-decp / won."""

from __future__ import annotations

import json

from achatsdesk.cli import main
from tests.execution.conftest import (  # noqa: F401 - fixture reused
    OTHER_SIRET,
    SIAE_SIRET,
    validated,
)
from tests.returns.conftest import BUYER_SIRET, REPO


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_award_realised_report_follow_up_and_returns(capsys, database, validated, tmp_path):  # noqa: F811
    code, out, _ = run(capsys, "dossier", "award", validated, "--lot", 1, "--siret", SIAE_SIRET, "--date",
                       "2027-01-04", "--amount", "680000", "--duration", 12, "--offers", 3, "--json")
    assert code == 0 and json.loads(out)["holder_kind"] == "ACI" and json.loads(out)["inclusive"] is True
    code, out, _ = run(capsys, "dossier", "award", validated, "--lot", 2, "--siret", OTHER_SIRET, "--date",
                       "2027-01-04", "--amount", "490000", "--offers", 2)
    assert code == 0 and "Lot n° 2 attribué" in out
    code, out, _ = run(capsys, "dossier", "realised", validated, "--clause", "insertion-heures", "--lot", 1,
                       "--period", "2027-T1", "--value", 100, "--json")
    assert code == 0 and json.loads(out)["period"] == "2027-T1"
    report = tmp_path / "releve.csv"
    report.write_text(f"SIRET;Période;Heures\n{SIAE_SIRET};2027-T2;50\n{SIAE_SIRET};2027-T9;5\n", encoding="utf-8")
    code, out, _ = run(capsys, "dossier", "import-report", validated, report)
    assert code == 0 and "ligne 3 rejetée : Période « 2027-T9 » invalide" in out
    code, out, _ = run(capsys, "dossier", "follow-up", validated, "--json")
    document = json.loads(out)
    assert document["hours"] == {"planned": 700, "realised": 150} and document["balance"] == 550
    assert document["lots"][0]["commitments"][0]["by_period"] == {"2027-T1": 100, "2027-T2": 50}
    assert "250 h manquent" in document["lots"][0]["penalty"]["explanation"]
    reports = document["lots"][0]["commitments"][0]["reports"]
    assert [(r["period"], r["reported_by"], r["source"]) for r in reports] == [
        ("2027-T1", "acheteur", "saisie"), ("2027-T2", "facilitateur", "relevé releve.csv")]
    code, out, _ = run(capsys, "dossier", "returns", "decp", "--year", 2027, "-o", tmp_path / "decp.json",
                       "--buyer-siret", BUYER_SIRET, "--json")
    assert code == 0 and json.loads(out)["rows"] == 2
    code, out, _ = run(capsys, "dossier", "agec-spend", validated, "--year", 2027, "--category", 1, "--total", 900)
    assert code == 0
    code, out, _ = run(capsys, "dossier", "returns", "agec", "--year", 2027, "-o", tmp_path / "agec.csv",
                       "--buyer-siret", BUYER_SIRET, "--buyer-name", "Département du Val-d'Oise")
    assert code == 0 and "30 juin 2028" in out
    code, out, _ = run(capsys, "dossier", "returns", "spaser", "--year", 2027, "-o", tmp_path / "spaser.xlsx", "--json")
    assert code == 0 and json.loads(out)["rows"] == 2


def test_errors_are_french_and_exit_1(capsys, database, validated):  # noqa: F811
    code, _, err = run(capsys, "dossier", "award", validated, "--siret", "123", "--date", "2027-01-04",
                       "--amount", "10")
    assert code == 1 and "SIRET du titulaire « 123 » n'est pas valide" in err
    code, _, err = run(capsys, "dossier", "returns", "decp", "--year", 2027, "-o", "x.json")
    assert code == 1 and "SIRET de l'acheteur est obligatoire" in err


def test_contracts_import_decp_and_won(capsys, database):
    sample = REPO / "tests" / "fixtures" / "decp" / "exemples_json_marches_avec_modifications.json"
    code, out, _ = run(capsys, "contracts", "import-decp", sample, "--json")
    assert code == 0 and json.loads(out)["imported"] >= 1
    code, out, _ = run(capsys, "contracts", "won", "55204599900869", "--json")
    assert code == 0 and json.loads(out)["contracts"][0]["amount_eur"] > 0
