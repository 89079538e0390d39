"""A JSON dossier with an unknown key, a wrong type or an impossible value is refused
everywhere it is read (dossier check, dossier import, the exchange import), with a French
message naming the path, and nothing is stored."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from achatsdesk.cli import main
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.dossier_schema import json_path, validate_dossier_data
from achatsdesk.errors import InputFileError, ValidationError
from achatsdesk.services import dossiers as svc
from achatsdesk.services.dossier_exchange import export_dossier, import_dossier

ROOT = Path(__file__).resolve().parents[2]
SPLIT_WORKS = {
    "title": "Travaux (fictif)", "nature": "travaux", "cpv": ["45214200-2"], "launch_date": "2026-12-01",
    "lots": [{"title": "Gros œuvre", "estimated_amount_eur": 3000000}, {"title": "Lots techniques", "amount_eur": 2600000}],
}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, data, name="dossier.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def count_dossiers(home: Path) -> int:
    """Every dossier row (the Corbeille's too), on the engine the CLI stored them on: the local
    file, or the team server of ACHATSDESK_DATABASE_URL."""
    from sqlalchemy import text

    from achatsdesk.paths import AppPaths
    from achatsdesk.services.bootstrap import open_database

    database = open_database(AppPaths(home / "data", home / "config", home / "logs", home / "backups"))
    try:
        with database.shared_engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM dossier")).scalar_one()
    finally:
        database.dispose()


def test_check_refuses_an_unknown_lot_key_naming_its_path(capsys, tmp_path):
    code, out, err = run(capsys, "dossier", "check", str(write(tmp_path, SPLIT_WORKS)), "--json")
    assert code == 1 and out == ""
    assert "« lots[1].estimated_amount_eur » inconnue" in err
    assert "title, cpv, amount_eur, small_lot" in err  # the keys expected there


def test_import_refuses_it_and_stores_nothing(capsys, tmp_path, achatsdesk_home):
    good = write(tmp_path, {"title": "Bon dossier (fictif)"}, "bon.json")
    assert run(capsys, "dossier", "import", str(good))[0] == 0
    assert count_dossiers(achatsdesk_home) == 1
    code, _, err = run(capsys, "dossier", "import", str(write(tmp_path, SPLIT_WORKS)))
    assert code == 1 and "lots[1].estimated_amount_eur" in err
    assert count_dossiers(achatsdesk_home) == 1


def test_exchange_import_refuses_it_and_changes_nothing(database, tmp_path):
    dossier_id = svc.create_dossier(database, Dossier("Envoi (fictif)"))
    exported = export_dossier(database, dossier_id, tmp_path / "envoi.achatsdesk")
    with zipfile.ZipFile(exported) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    body = json.loads(members["dossier.json"])
    body["dossier"]["lots"] = SPLIT_WORKS["lots"]
    members["dossier.json"] = json.dumps(body).encode()
    bad = tmp_path / "mauvais.achatsdesk"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    before = svc.count_dossiers(database)
    with pytest.raises(InputFileError, match=r"lots\[1\]\.estimated_amount_eur") as info:
        import_dossier(database, bad)
    assert "Aucun dossier n'a été modifié" in info.value.user_message
    assert svc.count_dossiers(database) == before


@pytest.mark.parametrize("bad, message", [
    ({"title": "x", "lots": [{"amount_eur": -3}]}, "« lots[1].amount_eur » ne peut pas être négatif"),
    ({"title": "x", "lots": [{"amount_eur": True}]}, "« lots[1].amount_eur » doit être un nombre ou un texte"),
    ({"title": "x", "lots": [{}, {"small_lot": "oui"}]}, "« lots[2].small_lot » doit être true ou false"),
    ({"title": "x", "cpv": ["45214200-2", "123"]}, "« cpv[2] » : il faut un code CPV de la forme 12345678-9"),
    ({"title": "x", "launch_date": "1/12/2026"}, "« launch_date » : il faut une date de la forme AAAA-MM-JJ"),
    ({"title": "x", "buyer": {"kind": "mairie"}}, "« mairie » invalide pour « buyer.kind »"),
    ({"title": "x", "contract_kind": "dsp"}, "« dsp » invalide pour « contract_kind » : valeurs possibles marche"),
    ({"title": "x", "buyer": {"nom": "Ville"}}, "Clé « buyer.nom » inconnue : clés possibles pour l'acheteur : name, kind"),
    ({"titre": "x"}, "Clé « titre » inconnue"),
    ({"title": "x", "checklist": {"lots-decision": {"statut": "fait"}}}, "« checklist.lots-decision.statut » inconnue"),
])
def test_each_kind_of_mistake_names_its_path(bad, message):
    with pytest.raises(ValidationError) as info:
        validate_dossier_data(bad)
    assert message in info.value.message


def test_files_written_by_achatsdesk_stay_valid():
    for example in (ROOT / "examples" / "nettoyage-colleges.json", ROOT / "tests" / "fixtures" / "dossiers" / "travaux-groupe-scolaire.json"):
        validate_dossier_data(json.loads(example.read_text(encoding="utf-8")))
    validate_dossier_data(Dossier("Tout vide").to_dict())


def test_schema_file_is_published_and_paths_count_from_one():
    schema = json.loads((ROOT / "resources" / "schemas" / "dossier.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert json_path(["lots", 0, "amount_eur"]) == "lots[1].amount_eur"
