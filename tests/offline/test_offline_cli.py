"""achatsdesk-cli dossier take-away / taken / bring-back against a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

from achatsdesk.cli import main
from achatsdesk.services import dossiers
from achatsdesk.storage.database import Database


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_take_away_and_bring_back_from_the_command_line(capsys, monkeypatch, paths, _template_database,
                                                        server_url, colleague, example_dossier):
    shutil.copyfile(_template_database, paths.database)
    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", server_url)
    server_id = dossiers.create_dossier(colleague, example_dossier)

    code, out, _ = run(capsys, "dossier", "take-away", str(server_id), "--json")
    assert code == 0
    [taken] = json.loads(out)
    assert taken["id"] == server_id
    code, out, _ = run(capsys, "dossier", "taken")
    assert code == 0 and f"n° {server_id} « Nettoyage des collèges »" in out

    local = Database(paths.database)  # edited offline
    stored = dossiers.get_dossier(local, taken["local_id"])
    stored.dossier.title = "Titre hors connexion"
    dossiers.save_dossier(local, taken["local_id"], stored.dossier, stored.revision)
    local.dispose()
    theirs = dossiers.get_dossier(colleague, server_id)
    theirs.dossier.title = "Titre du collègue"
    theirs.dossier.estimated_amount_eur = Decimal(1_350_000)
    dossiers.save_dossier(colleague, server_id, theirs.dossier, theirs.revision)

    code, out, _ = run(capsys, "dossier", "bring-back", str(server_id))
    assert code == 1
    assert "⚠ Intitulé : au départ Nettoyage des collèges · ma version Titre hors connexion · serveur Titre du collègue" in out
    assert "Rien n'a été enregistré" in out
    assert dossiers.get_dossier(colleague, server_id).dossier.title == "Titre du collègue"

    code, out, _ = run(capsys, "dossier", "bring-back", str(server_id), "--keep-both", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["kept_both"]
    assert dossiers.get_dossier(colleague, document["copy_id"]).dossier.title == "Titre hors connexion (copie hors connexion)"
    assert dossiers.get_dossier(colleague, server_id).dossier.title == "Titre du collègue"
    code, out, _ = run(capsys, "dossier", "taken")
    assert "Aucun dossier" in out


def test_bring_back_of_a_dossier_not_taken_says_so(capsys, monkeypatch, paths, _template_database, server_url,
                                                   colleague):
    shutil.copyfile(_template_database, paths.database)
    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", server_url)
    code, _, err = run(capsys, "dossier", "bring-back", "42", "--keep-mine")
    assert code == 1 and "n'a pas été emporté hors connexion" in err


def test_the_list_of_taken_dossiers_answers_without_the_server(capsys, monkeypatch, paths, _template_database):
    import socket

    shutil.copyfile(_template_database, paths.database)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/achats")
    code, out, err = run(capsys, "dossier", "taken")
    assert code == 0 and "Aucun dossier n'est emporté" in out
    assert "Serveur injoignable" in err
