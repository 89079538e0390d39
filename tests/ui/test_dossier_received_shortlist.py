"""A dossier sent from another machine: its shortlist arrives as a snapshot; the "Fournisseurs
présélectionnés" box shows it read-only and can make it a list of this machine's catalogue."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.dossier import Dossier
from achatsdesk.paths import AppPaths
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import dossiers as svc
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.catalogue import ensure_embedded_catalogue, search_suppliers
from achatsdesk.services.dossier_exchange import export_dossier, import_dossier
from achatsdesk.ui.dossier.dossiers_page import example_path

MADE_UP = {"name": "STRUCTURE FICTIVE DE TEST", "siret": "00000000000000", "kind": "EI", "commune": "Nulle part",
           "postcode": None, "source": "fictif", "source_date": "2026-01", "note": ""}


def _sent_from_another_machine(tmp_path: Path, template: Path) -> tuple[Path, list]:
    """The example dossier with a three-supplier list, exported on a separate home; the file then
    also names one made-up supplier no catalogue holds."""
    root = tmp_path / "sender"
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups").ensure()
    shutil.copyfile(template, paths.database)
    sender = open_database(paths)
    try:
        ensure_embedded_catalogue(sender.engine)
        dossier = Dossier.from_dict(json.loads(example_path().read_text(encoding="utf-8")))
        picked = [h for h in search_suppliers(sender, "esat", limit=20).hits if h.siret][:3]
        list_id = shortlists.create_shortlist(sender, "Liste de l'expéditeur")
        for hit in picked:
            shortlists.add_to_shortlist(sender, list_id, hit.id, "à consulter")
        dossier.shortlist_id = list_id
        exported = export_dossier(sender, svc.create_dossier(sender, dossier), tmp_path / "envoi")
    finally:
        sender.dispose()
    with zipfile.ZipFile(exported) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    body = json.loads(members["dossier.json"])
    body["shortlist"]["suppliers"].append(MADE_UP)
    members["dossier.json"] = json.dumps(body).encode()
    target = tmp_path / "envoi-modifié.achatsdesk"
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target, picked


@pytest.fixture
def received(qtbot, main_window, tmp_path, _template_database):
    path, picked = _sent_from_another_machine(tmp_path, _template_database)
    database = main_window.context.database
    ensure_embedded_catalogue(database.engine)
    assert shortlists.list_shortlists(database) == []  # a fresh home: no list of its own
    outcome = import_dossier(database, path)
    page = main_window.show_section("dossiers")
    editor = page.open_dossier(outcome.dossier_id)
    editor.nav.setCurrentRow([s.id for s in editor.analysis.steps].index("besoin"))
    return editor, picked


def test_received_list_is_shown_read_only_then_created_locally(qtbot, received):
    editor, picked = received
    box = editor.shortlist_box
    database = editor.context.database
    assert editor.shortlist_snapshot()["name"] == "Liste de l'expéditeur"
    names = [box.model.row(r).name for r in range(box.model.rowCount())]
    assert sorted(names) == sorted([h.name for h in picked] + [MADE_UP["name"]])
    assert "reçue avec le dossier" in box.summary.text() and "lecture seule" in box.summary.text()
    assert "liste reçue avec le dossier" in box.snapshot_note.text().casefold()
    assert box.snapshot_button.isVisible() and box.snapshot_button.isEnabled()
    box.table.selectRow(0)
    assert not box.remove_button.isEnabled()  # read-only: nothing to remove from

    qtbot.mouseClick(box.snapshot_button, Qt.MouseButton.LeftButton)
    dossier = editor.current_dossier()
    assert dossier.shortlist_id is not None
    lists = shortlists.list_shortlists(database)
    assert [(i.id, i.name, i.size) for i in lists] == [(dossier.shortlist_id, "Liste de l'expéditeur", 3)]
    local = shortlists.shortlist_entries(database, dossier.shortlist_id)
    assert {(e.siret, e.kind) for e in local} == {(h.siret, h.kind) for h in picked}
    assert {e.note for e in local} == {"à consulter"}
    assert all(box.model.row(r).supplier_id > 0 for r in range(box.model.rowCount()))
    assert box.model.rowCount() == 3
    assert not box.snapshot_button.isVisible()
    assert "3 structures" in box.snapshot_note.text() and "1 structure de la liste reçue est introuvable" in box.snapshot_note.text()

    editor.undo_action.trigger()  # the attachment is a dossier edit: Ctrl+Z shows the received list again
    assert editor.current_dossier().shortlist_id is None
    assert box.model.rowCount() == 4 and box.snapshot_button.isVisible()


def test_review_mode_shows_the_received_list_without_creating(qtbot, main_window, tmp_path, _template_database):
    path, _picked = _sent_from_another_machine(tmp_path, _template_database)
    database = main_window.context.database
    outcome = import_dossier(database, path)
    editor = main_window.show_section("dossiers").open_dossier(outcome.dossier_id, review_mode=True)
    box = editor.shortlist_box
    assert box.model.rowCount() == 4
    assert not box.snapshot_button.isEnabled()
    assert box.create_from_snapshot() is None and shortlists.list_shortlists(database) == []


def test_a_team_dossier_taken_away_shows_the_teams_list_not_a_local_one_with_its_number(qtbot, main_window):
    """Offline, a taken dossier's list number is the server's: the box shows the copy taken with it,
    read-only, even when a list of this file has the same number (made-up list and structures)."""
    from datetime import datetime

    from achatsdesk.storage import dossiers_repo, offline_repo
    from achatsdesk.storage.models.offline import OfflineTakeRow

    database = main_window.context.database
    ensure_embedded_catalogue(database.engine)
    local_list = shortlists.create_shortlist(database, "Liste locale (fictive)")
    team_list = {"name": "Liste de l'équipe (fictive)", "suppliers": [MADE_UP]}
    dossier = Dossier.from_dict(json.loads(example_path().read_text(encoding="utf-8")))
    dossier.shortlist_id = local_list  # the server's number, equal by chance to this file's list
    with database.unit_of_work() as session:  # what services.offline.take_away leaves in the local file
        local_id = dossiers_repo.insert(session, dossier, team_list)
        offline_repo.add(session, OfflineTakeRow(
            uid=dossier.uid, local_dossier_id=local_id, server_dossier_id=41, server_label="PostgreSQL achats (fictif)",
            base_revision=3, base_json=json.dumps(dossier.to_dict()), taken_by="acheteuse", taken_at=datetime(2026, 12, 1)))
    editor = main_window.show_section("dossiers").open_dossier(local_id)
    box = editor.shortlist_box
    assert [box.model.row(r).name for r in range(box.model.rowCount())] == [MADE_UP["name"]]
    assert box.list_choice.count() == 1 and box.list_choice.currentText() == "Liste de l'équipe (fictive) (liste de l'équipe)"
    assert "de l'équipe" in box.summary.text() and "lecture seule" in box.summary.text()
    assert not box.list_choice.isEnabled() and not box.create_button.isEnabled()
    assert editor.current_dossier().shortlist_id == local_list  # the pointer goes back to the server as it came
