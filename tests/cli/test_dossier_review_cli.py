"""achatsdesk-cli dossier review / history: the head's decision and who changed what, from outside."""

from __future__ import annotations

import json

import pytest

from achatsdesk.cli import main
from achatsdesk.services.team import current_rights
from tests.conftest import EXAMPLE_DOSSIER


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_records_the_decision_of_the_connected_user_and_history_shows_it(capsys, database):
    code, out, err = run(capsys, "dossier", "import", str(EXAMPLE_DOSSIER), "--json")
    assert code == 0, err
    dossier_id = json.loads(out)["id"]
    me = current_rights(database).user

    code, _, err = run(capsys, "dossier", "review", str(dossier_id), "--decision", "a_reprendre")
    assert code == 1 and "Expliquez ce qui est à reprendre" in err
    code, _, err = run(capsys, "dossier", "review", "999", "--decision", "valide", "--comment", "ok")
    assert code == 1 and "Le dossier n° 999 n'existe pas" in err
    with pytest.raises(SystemExit) as usage:  # argparse's choices: a usage error, in French
        main(["dossier", "review", str(dossier_id), "--decision", "approuve"])
    assert usage.value.code == 2 and "choix invalide" in capsys.readouterr().err

    code, out, err = run(capsys, "dossier", "review", str(dossier_id), "--decision", "a_reprendre",
                         "--comment", "Ajoutez la clause d'insertion", "--json")
    assert code == 0, err
    assert json.loads(out) | {"decided_at": None} == {"id": dossier_id, "decision": "a_reprendre", "reviewer": me,
                                                     "comment": "Ajoutez la clause d'insertion", "decided_at": None}
    code, out, _ = run(capsys, "dossier", "review", str(dossier_id), "--decision", "valide", "--comment", "")
    assert code == 0 and f"Validé par {me}" in out
    code, out, _ = run(capsys, "dossier", "list", "--json")
    assert json.loads(out)["dossiers"][0]["status"] == "valide"

    code, out, err = run(capsys, "dossier", "history", str(dossier_id), "--json")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    assert [c["action"] for c in changes if c["action"] != "modification"] == ["creation", "decision", "decision"]
    assert [c["by"] for c in changes if c["action"] == "decision"] == [me, me]
    assert changes[-1]["revision"] == 3  # each decision is one more revision
    code, out, _ = run(capsys, "dossier", "history", str(dossier_id))
    assert out.count(f"Décision de relecture par {me}") == 2 and "Création par" in out
    code, _, err = run(capsys, "dossier", "history", "999")
    assert code == 1 and "n'existe pas" in err
