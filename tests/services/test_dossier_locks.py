"""Soft locks on both engines: taken, seen from another connection, stale after the timeout,
released; never a change of revision (a lock must not make a colleague's copy stale)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import NotFoundError
from achatsdesk.services import dossier_locks as locks
from achatsdesk.services import dossiers as svc
from achatsdesk.storage.database import Database
from tests.conftest import EXAMPLE_DOSSIER


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


@pytest.fixture
def other_window(database):
    """A second connection (its own engine) to the same shared tables."""
    other = Database(database.path, database.server)
    yield other
    other.dispose()


def _history(database, dossier_id: int) -> int:
    with database.shared_engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM dossier_change WHERE dossier_id = :id"),
                            {"id": dossier_id}).scalar_one()


def test_a_lock_is_seen_by_the_other_connection_and_released(database, other_window):
    dossier_id = svc.create_dossier(database, example())
    assert locks.lock_of(other_window, dossier_id) is None

    taken = locks.take_lock(database, dossier_id)
    assert taken.mine and taken.holder
    seen = locks.lock_of(other_window, dossier_id)
    assert seen is not None and seen.holder == taken.holder and seen.since == taken.since
    assert seen.text.startswith(f"En cours de modification par {taken.holder} (depuis ")

    locks.release_lock(database, dossier_id)
    assert locks.lock_of(other_window, dossier_id) is None


def test_taking_and_refreshing_a_lock_never_changes_the_revision(database, other_window):
    dossier_id = svc.create_dossier(database, example())
    copy = svc.get_dossier(other_window, dossier_id)
    before = _history(database, dossier_id)
    locks.take_lock(database, dossier_id)
    locks.take_lock(database, dossier_id)  # the editor's refresh
    locks.release_lock(database, dossier_id)
    assert svc.get_dossier(database, dossier_id).revision == copy.revision == 1
    assert _history(database, dossier_id) == before  # no line in the history either
    # The colleague's copy is not stale: their save goes through.
    copy.dossier.title = "Enregistré après le verrou"
    assert svc.save_dossier(other_window, dossier_id, copy.dossier, copy.revision) == 2


def test_a_colleague_lock_is_kept_until_it_is_stale(database, other_window):
    """A live lock of someone else is not taken over (the taker is told who has it); once
    not refreshed for the timeout it is ignored and the next editor takes it."""
    dossier_id = svc.create_dossier(database, example())
    locks.take_lock(database, dossier_id)
    with database.shared_engine.begin() as conn:  # as a colleague's window would have written it
        conn.execute(text("UPDATE dossier SET locked_by = 'collègue' WHERE id = :id"), {"id": dossier_id})

    refused = locks.take_lock(other_window, dossier_id)
    assert not refused.mine and refused.holder == "collègue"
    held = locks.lock_of(other_window, dossier_id)
    assert held is not None and held.holder == "collègue" and not held.mine
    locks.release_lock(other_window, dossier_id)  # not ours: left alone
    assert locks.lock_of(database, dossier_id).holder == "collègue"

    with database.shared_engine.begin() as conn:  # the colleague's window crashed ten minutes ago
        conn.execute(text("UPDATE dossier SET locked_at = :at WHERE id = :id"),
                     {"id": dossier_id, "at": locks.lock_of(database, dossier_id).since - timedelta(minutes=10)})
    assert locks.lock_of(other_window, dossier_id) is None
    assert locks.lock_of(other_window, dossier_id, timeout=timedelta(hours=1)) is not None
    taken = locks.take_lock(other_window, dossier_id)
    assert taken.mine and taken.holder != "collègue"


def test_locking_a_missing_dossier_is_refused(database):
    with pytest.raises(NotFoundError, match="n° 999"):
        locks.take_lock(database, 999)
    assert locks.lock_of(database, 999) is None
