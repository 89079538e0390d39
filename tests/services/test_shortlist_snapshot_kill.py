"""Creating a list from a received snapshot is one transaction: a kill midway leaves no half list."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services.dossier_exchange import create_shortlist_from_snapshot
from tests.sigkill import assert_intact, kill_while_writing

WRITER = textwrap.dedent("""
    import sqlite3
    import sys
    from pathlib import Path
    from achatsdesk.services.dossier_exchange import create_shortlist_from_snapshot
    from achatsdesk.storage.database import Database

    conn = sqlite3.connect(sys.argv[1])
    suppliers = [{"siret": s, "kind": k, "note": "reçue"} for s, k in
                 conn.execute("SELECT siret, kind FROM supplier WHERE siret IS NOT NULL")]
    conn.close()
    database = Database(Path(sys.argv[1]))
    n = 0
    while True:
        n += 1
        create_shortlist_from_snapshot(database, {"name": "Liste reçue (fictive)", "suppliers": suppliers})
        if n == 1:
            print("ready", flush=True)
""")


@pytest.mark.local_file_only("the killed writer works on the local file alone; on the server the list's one "
                              "transaction is PostgreSQL's")
def test_a_kill_while_creating_a_list_from_a_snapshot_leaves_no_partial_list(database, tmp_path):
    with database.engine.connect() as conn:
        wanted = conn.exec_driver_sql("SELECT count(DISTINCT siret || '|' || kind) FROM supplier WHERE siret IS NOT NULL").scalar()
    assert wanted > 1000  # long enough a transaction for the kill to land inside one
    database.dispose()
    kill_while_writing(WRITER, [str(database.path)], tmp_path, writing_for=0.7)
    assert_intact(database.path)
    lists = shortlists.list_shortlists(database)
    assert lists, "the lists created before the kill are there"
    assert {info.size for info in lists} == {wanted}  # each one whole: never a half-filled list
    conn = sqlite3.connect(database.path)
    try:  # and no orphan item of a list that was rolled back
        assert conn.execute("SELECT count(*) FROM shortlist_entry WHERE shortlist_id NOT IN "
                            "(SELECT id FROM shortlist)").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_list_from_a_snapshot_matches_siret_and_kind(database):
    with database.engine.connect() as conn:
        siret, kind = conn.exec_driver_sql("SELECT siret, kind FROM supplier WHERE siret IS NOT NULL LIMIT 1").one()
    snapshot = {"name": "Reçue (fictive)", "suppliers": [
        {"siret": siret, "kind": kind, "note": "vue au salon"}, {"siret": siret, "kind": "AUTRE"}, {"name": "sans SIRET"}]}
    first = create_shortlist_from_snapshot(database, snapshot)
    second = create_shortlist_from_snapshot(database, snapshot)
    assert (first.added, first.missing, first.name) == (1, 2, "Reçue (fictive)")
    assert second.name == "Reçue (fictive) (2)" and second.shortlist_id != first.shortlist_id
    entries = shortlists.shortlist_entries(database, first.shortlist_id)
    assert [(e.siret, e.kind, e.note) for e in entries] == [(siret, kind, "vue au salon")]
