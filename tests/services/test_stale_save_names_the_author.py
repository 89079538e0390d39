"""The refusal of a stale save names who saved the stored revision and when, on both engines:
the system user alone (written by the application), the login role on the server (its trigger)."""

from __future__ import annotations

import getpass
import json

import pytest
from sqlalchemy import text

from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import StaleDossierError
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


def _expected_author(database) -> str:
    if not database.is_team:
        return getpass.getuser()
    with database.shared_engine.connect() as conn:
        return conn.execute(text("SELECT session_user")).scalar_one()


def test_the_refusal_names_the_author_and_the_time_of_the_stored_revision(database):
    dossier_id = svc.create_dossier(database, example())
    stale = svc.get_dossier(database, dossier_id)
    fresh = svc.get_dossier(database, dossier_id)
    fresh.dossier.title = "Enregistré entre-temps"
    svc.save_dossier(database, dossier_id, fresh.dossier, fresh.revision)
    stored = svc.get_dossier(database, dossier_id)

    with pytest.raises(StaleDossierError) as refused:
        svc.save_dossier(database, dossier_id, stale.dossier, stale.revision)
    error = refused.value
    author = _expected_author(database)
    assert error.changed_by == author and error.stored == 2 and error.expected == 1
    assert error.changed_at is not None and abs((error.changed_at - stored.updated_at).total_seconds()) < 120
    assert f"a été modifié par {author} le {error.changed_at:%d/%m/%Y} à {error.changed_at:%H:%M} " in error.message
    assert svc.get_dossier(database, dossier_id).dossier.title == "Enregistré entre-temps"


def test_a_status_change_is_named_too(database):
    dossier_id = svc.create_dossier(database, example())
    stale = svc.get_dossier(database, dossier_id)
    svc.set_status(database, dossier_id, "a_relire")
    with pytest.raises(StaleDossierError) as refused:
        svc.save_dossier(database, dossier_id, stale.dossier, stale.revision)
    assert refused.value.changed_by == _expected_author(database)


def test_without_a_known_author_the_message_still_reads_well():
    error = StaleDossierError(7, 1, 2)
    assert error.message.startswith("Ce dossier a été modifié depuis que vous l'avez ouvert (dans une autre fenêtre")
