"""achatsdesk-cli suppliers publish | sync: the organisation's catalogue on the team server.
Runs on both engines: alone the command refuses in French; connected it publishes a release."""

from __future__ import annotations

import json
from pathlib import Path

from achatsdesk.cli import main

MADE_UP = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue" / "lemarche_export_MADEUP.csv"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_publish_then_sync(capsys, engine, achatsdesk_home):
    assert run(capsys, "suppliers", "import", str(MADE_UP))[0] == 0
    code, out, err = run(capsys, "suppliers", "publish", "--json")
    if engine == "sqlite":
        assert code == 1 and "serveur de l'équipe" in err and out == ""
        code, out, _ = run(capsys, "suppliers", "sync")
        assert code == 0 and "Aucun catalogue" in out
        return
    assert code == 0, err
    release = json.loads(out)
    assert release["version"] == 1 and release["suppliers"] == 3 and release["corrections"] == 0
    code, out, _ = run(capsys, "suppliers", "sync", "--json")
    assert code == 0 and json.loads(out)["version"] == 1
