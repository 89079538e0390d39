"""The service's shortlists under the team rules: two buyers of different services, each on their own
workstation, share one list; a supplier one of them lacks in their catalogue is still read there."""

from __future__ import annotations

from achatsdesk.catalogue.upsert import delete_suppliers
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services.bootstrap import open_database
from tests.postgres_server import workstation_paths
from tests.team.conftest import add_person


def _first_suppliers(database, n: int) -> list[int]:
    with database.engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql(
            f"SELECT id FROM supplier WHERE siret IS NOT NULL ORDER BY id LIMIT {int(n)}")]


def test_two_buyers_share_a_list_across_their_workstations(team, local_home, tmp_path, capsys, _template_database):
    alice = add_person(capsys, team, "alice", "acheteur", "Achats")
    bob = add_person(capsys, team, "bob", "acheteur", "Travaux")
    bob_home = workstation_paths(tmp_path / "bob", _template_database)

    as_alice = open_database(local_home, server=team.url_of(alice))
    as_bob = open_database(bob_home, server=team.url_of(bob))
    try:
        first, second = _first_suppliers(as_alice, 2)
        list_id = shortlists.create_shortlist(as_alice, "Nettoyage 2027 (fictive)")
        assert shortlists.add_to_shortlist(as_alice, list_id, first, "vue au salon")
        # Bob's catalogue does not hold Alice's supplier (not imported on his workstation).
        with as_bob.engine.begin() as conn:
            delete_suppliers(conn, [first])

        [seen] = [info for info in shortlists.list_shortlists(as_bob) if info.id == list_id]
        assert (seen.name, seen.size) == ("Nettoyage 2027 (fictive)", 1)
        [line] = shortlists.shortlist_entries(as_bob, list_id)
        assert line.supplier_id is None and line.note == "vue au salon" and line.name
        assert shortlists.add_to_shortlist(as_bob, list_id, second)

        names = {entry.supplier_id for entry in shortlists.shortlist_entries(as_alice, list_id)}
        assert names == {first, second}  # Alice's catalogue holds both: her local ids
        with as_alice.shared_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM shortlist_entry").scalar() == 2
        with as_alice.engine.connect() as conn:  # nothing of the team's list in her local file
            assert conn.exec_driver_sql("SELECT count(*) FROM shortlist_entry").scalar() == 0
    finally:
        as_alice.dispose()
        as_bob.dispose()
