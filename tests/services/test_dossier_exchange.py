"""The .achatsdesk exchange file: full round trip, refusals that change nothing."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import Buyer, BuyerKind, ClauseSelection, Dossier, Lot, Nature
from achatsdesk.errors import InputFileError
from achatsdesk.paths import AppPaths
from achatsdesk.services import dossiers as svc
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.dossier_exchange import SCHEMA_VERSION, export_dossier, import_dossier
from tests.dossier_edits import answer, comment, save


def rich_dossier() -> Dossier:
    return Dossier(
        title="Restauration scolaire (fictif)", reference="RS-2026", buyer=Buyer("Commune fictive", BuyerKind.COLLECTIVITE, 80_000_000),
        nature=Nature.SERVICES, cpv=["55520000-1", "15000000-8"], estimated_amount_eur=0, duration_months=48,
        place_insee="95127", launch_date=date(2026, 10, 5),
        lots=[Lot("Repas", "55520000-1", 500_000), Lot("Denrées", "15000000-8", 250_000)],
        clauses=[ClauseSelection("egalim-parts", "1", {"bio": 0.2}, 1)],
    )


def fill(database) -> int:
    dossier_id = svc.create_dossier(database, rich_dossier())
    answer(database, dossier_id, "env-egalim", "fait")
    answer(database, dossier_id, "env-condition", "sans_objet", "Condition portée par le lot 2 uniquement")
    comment(database, dossier_id, "env-condition", "À préciser dans le CCAP")
    svc.record_review(database, dossier_id, "a_reprendre", "Responsable achats", "Voir l'environnement", datetime(2026, 9, 1, 10))
    return dossier_id


def fresh_home(root: Path, template: Path) -> AppPaths:
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups").ensure()
    shutil.copyfile(template, paths.database)
    return paths


def test_round_trip_on_an_empty_home_gives_back_everything(database, tmp_path, _template_database, other_server):
    dossier_id = fill(database)
    original = svc.get_dossier(database, dossier_id).dossier
    exported = export_dossier(database, dossier_id, tmp_path / "envoi")
    assert exported.name == "envoi.achatsdesk"

    other = open_database(fresh_home(tmp_path / "other-machine", _template_database), server=other_server)
    try:
        assert svc.count_dossiers(other) == 0
        outcome = import_dossier(other, exported)
        assert not outcome.kept_both
        imported = svc.get_dossier(other, outcome.dossier_id).dossier
    finally:
        other.dispose()
    assert imported.to_dict() == original.to_dict()
    assert imported.items["env-condition"] == ItemState(ItemStatus.SANS_OBJET, "Condition portée par le lot 2 uniquement", None, "À préciser dans le CCAP")
    assert imported.reviews[0].reviewer == "Responsable achats"


def test_import_never_overwrites_a_local_dossier(database, tmp_path):
    dossier_id = fill(database)
    exported = export_dossier(database, dossier_id, tmp_path / "envoi.achatsdesk")
    local = svc.get_dossier(database, dossier_id).dossier
    local.title = "Version locale modifiée"
    save(database, dossier_id, local)
    outcome = import_dossier(database, exported)
    assert outcome.kept_both and outcome.dossier_id != dossier_id and "importé le" in outcome.title
    assert svc.get_dossier(database, dossier_id).dossier.title == "Version locale modifiée"
    assert svc.count_dossiers(database) == 2


def _database_state(database) -> list:
    with database.shared_engine.connect() as conn:
        return [conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("dossier", "dossier_item", "dossier_review", "dossier_lot", "dossier_clause")]


def _rewrite(source: Path, target: Path, manifest=None, body=None, drop=None) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if manifest is not None:
        members["manifest.json"] = json.dumps(manifest).encode()
    if body is not None:
        members["dossier.json"] = body if isinstance(body, bytes) else json.dumps(body).encode()
    if drop:
        members.pop(drop)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


@pytest.mark.parametrize("case, message", [
    ("newer", "version plus récente"),
    ("not-zip", "fichier endommagé"),
    ("no-dossier", "il manque"),
    ("bad-json", "JSON lisible"),
    ("bad-field", "invalide"),
    ("other-format", "pas un dossier achatsdesk"),
])
def test_malformed_or_newer_files_are_refused_and_change_nothing(database, tmp_path, case, message):
    dossier_id = fill(database)
    good = export_dossier(database, dossier_id, tmp_path / "bon.achatsdesk")
    with zipfile.ZipFile(good) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        body = json.loads(archive.read("dossier.json"))
    bad = tmp_path / f"{case}.achatsdesk"
    if case == "newer":
        _rewrite(good, bad, manifest={**manifest, "schema_version": SCHEMA_VERSION + 1})
    elif case == "not-zip":
        bad.write_bytes(b"ceci n'est pas une archive")
    elif case == "no-dossier":
        _rewrite(good, bad, drop="dossier.json")
    elif case == "bad-json":
        _rewrite(good, bad, body=b"{pas du json")
    elif case == "bad-field":
        body["dossier"]["buyer"]["kind"] = "martien"
        _rewrite(good, bad, body=body)
    else:
        _rewrite(good, bad, manifest={**manifest, "format": "autre-chose"})
    before = _database_state(database)
    with pytest.raises(InputFileError, match=message) as info:
        import_dossier(database, bad)
    assert "Aucun dossier n'a été modifié" in info.value.user_message or "aucun dossier n'a été modifié" in info.value.user_message
    assert _database_state(database) == before


def test_shortlist_snapshot_travels_with_the_dossier(database, tmp_path):
    dossier_id = svc.create_dossier(database, rich_dossier())
    first = export_dossier(database, dossier_id, tmp_path / "a.achatsdesk")
    with zipfile.ZipFile(first) as archive:
        body = json.loads(archive.read("dossier.json"))
    body["shortlist"] = {"name": "Restauration (fictif)", "suppliers": [{"name": "Structure fictive", "kind": "EI"}]}
    second = _rewrite(first, tmp_path / "b.achatsdesk", body=body)
    imported = import_dossier(database, second)
    assert svc.get_dossier(database, imported.dossier_id).shortlist_snapshot == body["shortlist"]
    again = export_dossier(database, imported.dossier_id, tmp_path / "c.achatsdesk")
    with zipfile.ZipFile(again) as archive:
        assert json.loads(archive.read("dossier.json"))["shortlist"] == body["shortlist"]


def test_cents_travel_in_the_exchange_file(database, tmp_path, _template_database):
    from decimal import Decimal

    dossier = rich_dossier()
    dossier.lots[0].amount_eur = Decimal("215999.99")
    dossier.buyer.annual_purchases_eur = Decimal("49999999.99")
    exported = export_dossier(database, svc.create_dossier(database, dossier), tmp_path / "centimes")
    other = open_database(fresh_home(tmp_path / "other-machine", _template_database))
    try:
        imported = svc.get_dossier(other, import_dossier(other, exported).dossier_id).dossier
    finally:
        other.dispose()
    assert imported.lots[0].amount_eur == Decimal("215999.99")
    assert imported.amount_eur == Decimal("465999.99")
    assert imported.buyer.annual_purchases_eur == Decimal("49999999.99")
