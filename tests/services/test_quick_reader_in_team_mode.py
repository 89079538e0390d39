"""The quick start lists the dossiers of the local file before SQLAlchemy is imported: in team mode the
dossiers are on the server, so the quick start must stand aside and let the full opening path run."""

from __future__ import annotations

from achatsdesk.services.bootstrap import open_database, open_quick_reader
from achatsdesk.services.team_connection import save_address


def test_the_quick_reader_stands_aside_when_a_server_is_configured(paths, monkeypatch):
    monkeypatch.delenv("ACHATSDESK_DATABASE_URL", raising=False)
    open_database(paths, server="local").dispose()
    reader = open_quick_reader(paths)
    assert reader is not None  # alone: the local file answers the first paint
    reader.close()

    save_address(paths, "postgresql://serveur.example/achats")
    assert open_quick_reader(paths) is None

    save_address(paths, "")
    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", "service=achats")
    assert open_quick_reader(paths) is None
