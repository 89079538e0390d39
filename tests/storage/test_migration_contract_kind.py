"""0007_contract_kind: dossiers stored with the old buyer kind "defense_securite" open as
defence contracts of the State; the others as ordinary contracts; lots get no small-lot choice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from achatsdesk.domain.dossier import BuyerKind, ContractKind
from achatsdesk.paths import AppPaths
from achatsdesk.services import dossiers as svc
from achatsdesk.services.bootstrap import open_database
from achatsdesk.storage import migrate

_INSERT = ("INSERT INTO dossier (id, uid, title, reference, buyer_name, buyer_kind, nature, estimated_amount_cents, "
           "status, revision, created_at, updated_at) VALUES (?, ?, ?, '', 'Acheteur fictif', ?, 'services', ?, "
           "'brouillon', 1, '2026-01-05 10:00:00', '2026-01-05 10:00:00')")


def test_old_defence_buyer_kind_becomes_a_contract_kind(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs", tmp_path / "backups").ensure()
    migrate.upgrade_to_head(paths.database, target="0006_supplier_sort_keys")
    conn = sqlite3.connect(paths.database)
    conn.execute(_INSERT, (1, "00000000-0000-0000-0000-000000000001", "Gardiennage d'une base (fictif)", "defense_securite", 50_000_000))
    conn.execute(_INSERT, (2, "00000000-0000-0000-0000-000000000002", "Nettoyage (fictif)", "collectivite", 10_000_000))
    conn.execute("INSERT INTO dossier_lot (dossier_id, position, title, cpv, amount_cents) VALUES (2, 0, 'Lot 1', NULL, 500000)")
    conn.commit()
    conn.close()

    migrate.ensure_schema(paths.database, paths.backups)

    database = open_database(paths)
    try:
        defence = svc.get_dossier(database, 1).dossier
        ordinary = svc.get_dossier(database, 2).dossier
    finally:
        database.dispose()
    assert (defence.contract_kind, defence.buyer.kind) == (ContractKind.DEFENSE_SECURITE, BuyerKind.ETAT)
    assert (ordinary.contract_kind, ordinary.buyer.kind) == (ContractKind.MARCHE, BuyerKind.COLLECTIVITE)
    assert ordinary.lots[0].small_lot is None and ordinary.amount_includes == []


def test_exchange_file_of_the_previous_version_opens_as_a_defence_contract(database, tmp_path: Path) -> None:
    import json
    import zipfile

    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.dossier_exchange import export_dossier, import_dossier

    exported = export_dossier(database, svc.create_dossier(database, Dossier("Gardiennage (fictif)")), tmp_path / "a.achatsdesk")
    with zipfile.ZipFile(exported) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    body = json.loads(members["dossier.json"])
    old = body["dossier"]
    for key in ("contract_kind", "framework_max_eur", "amount_includes", "agec_included_supplies"):
        old.pop(key)  # keys the previous version did not write
    old["buyer"]["kind"] = "defense_securite"
    old["uid"] = "99999999-0000-0000-0000-000000000000"
    members["dossier.json"] = json.dumps(body).encode()
    previous = tmp_path / "ancien.achatsdesk"
    with zipfile.ZipFile(previous, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    imported = svc.get_dossier(database, import_dossier(database, previous).dossier_id).dossier
    assert (imported.contract_kind, imported.buyer.kind) == (ContractKind.DEFENSE_SECURITE, BuyerKind.ETAT)
