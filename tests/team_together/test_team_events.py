"""LISTEN/NOTIFY between two colleagues on a real server: Bob's window hears Alice's save
and his list shows it (Done-when 3); locks are heard too, without a new revision; the
listener stops promptly and comes back after its connection is cut."""

from __future__ import annotations

import json
import queue
import time

from sqlalchemy import text

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossier_locks as locks
from achatsdesk.services import dossiers as svc
from achatsdesk.services.team_events import RESYNC, DossierEvent, listen_for_changes
from achatsdesk.storage.database import Database
from tests.conftest import EXAMPLE_DOSSIER


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


def _listening(database: Database):
    events: queue.Queue[DossierEvent] = queue.Queue()
    listener = listen_for_changes(database, events.put)
    assert listener.active and listener.wait_listening(10)
    return listener, events


def _next(events: queue.Queue, timeout: float, dossier_id: int | None = None) -> DossierEvent:
    deadline = time.monotonic() + timeout
    while True:
        event = events.get(timeout=max(deadline - time.monotonic(), 0.001))
        if dossier_id is None or event.id == dossier_id:
            return event


def test_bob_hears_alice_save_within_a_second_and_his_list_shows_it(team):
    alice, bob = team
    dossier_id = svc.create_dossier(alice.database, example())
    listener, events = _listening(bob.database)
    try:
        stored = svc.get_dossier(alice.database, dossier_id)
        stored.dossier.title = "Nettoyage des collèges — version d'Alice"
        saved_at = time.monotonic()
        revision = svc.save_dossier(alice.database, dossier_id, stored.dossier, stored.revision)
        event = _next(events, 1.0, dossier_id)
        received_after = time.monotonic() - saved_at
        assert event == DossierEvent(dossier_id, revision, "modification", alice.role)
        assert received_after < 1.0
        titles = {s.id: s.title for s in svc.list_dossiers(bob.database)}
        assert titles[dossier_id] == "Nettoyage des collèges — version d'Alice"
    finally:
        listener.stop()
    assert not listener.active


def test_a_creation_and_a_lock_are_heard_the_lock_without_a_new_revision(team):
    alice, bob = team
    listener, events = _listening(bob.database)
    try:
        dossier_id = svc.create_dossier(alice.database, example())
        assert _next(events, 5, dossier_id) == DossierEvent(dossier_id, 1, "creation", alice.role)
        locks.take_lock(alice.database, dossier_id)
        heard = _next(events, 5, dossier_id)
        assert heard.revision == 1 and heard.by == alice.role  # same revision: nothing to reload
        state = locks.lock_of(bob.database, dossier_id)
        assert state is not None and state.holder == alice.role and not state.mine
        assert not locks.take_lock(bob.database, dossier_id).mine
    finally:
        listener.stop()


def test_stop_ends_the_listener_promptly(team):
    _alice, bob = team
    listener, _events = _listening(bob.database)
    started = time.monotonic()
    listener.stop(timeout=5)
    assert not listener.active and time.monotonic() - started < 2


def test_a_cut_connection_is_reopened_and_says_to_read_everything_again(team, postgres_url):
    from tests.postgres_server import admin_engine, with_database

    alice, bob = team
    listener, events = _listening(bob.database)
    try:
        engine = admin_engine(with_database(postgres_url, bob.database.shared_engine.url.database))
        with engine.connect() as conn:  # the server drops Bob's listening connection (a restart, the network)
            cut = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE usename = :role AND query LIKE 'LISTEN%'"), {"role": bob.role}).scalar_one()
        engine.dispose()
        assert cut == 1
        assert _next(events, 15).action == RESYNC
        assert listener.wait_listening(10)
        dossier_id = svc.create_dossier(alice.database, example())
        assert _next(events, 5, dossier_id).action == "creation"
    finally:
        listener.stop()


def test_alone_on_the_local_file_the_listener_does_nothing(paths, _template_database):
    import shutil

    shutil.copyfile(_template_database, paths.database)
    database = Database(paths.database)
    try:
        heard: list[DossierEvent] = []
        listener = listen_for_changes(database, heard.append)
        svc.create_dossier(database, example())
        assert not listener.active and heard == []
        listener.stop()
    finally:
        database.dispose()
