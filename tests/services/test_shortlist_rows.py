"""The shortlist queries moved into storage/shortlists.py, through the service that composes them."""

from __future__ import annotations

import pytest

from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services.catalogue import get_supplier
from achatsdesk.services.dossier_exchange import _shortlist_snapshot


def _suppliers(database, n: int = 2) -> list[tuple[int, str, str]]:
    with database.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            f"SELECT id, siret, kind FROM supplier WHERE siret IS NOT NULL ORDER BY id LIMIT {int(n)}").all()]


def test_adding_twice_renaming_and_deleting(database):
    (first, _, _), (second, _, _) = _suppliers(database)
    list_id = shortlists.create_shortlist(database, "Propreté (fictive)")
    assert shortlists.add_to_shortlist(database, list_id, first, "à appeler") is True
    assert shortlists.add_to_shortlist(database, list_id, first) is False  # already in: nothing changed
    assert shortlists.add_to_shortlist(database, list_id, second) is True
    assert shortlists.find_shortlist(database, list_id).size == 2
    assert [e.note for e in shortlists.shortlist_entries(database, list_id) if e.supplier_id == first] == ["à appeler"]
    assert get_supplier(database, first).shortlists == ["Propreté (fictive)"]
    other = shortlists.create_shortlist(database, "Autre liste (fictive)")
    with pytest.raises(ValidationError, match="déjà"):
        shortlists.rename_shortlist(database, other, "Propreté (fictive)")
    with pytest.raises(NotFoundError):
        shortlists.add_to_shortlist(database, 999_999, first)
    with pytest.raises(NotFoundError):
        shortlists.add_to_shortlist(database, list_id, 999_999_999)
    second_key = next(e.match_key for e in shortlists.shortlist_entries(database, list_id) if e.supplier_id == second)
    shortlists.remove_from_shortlist(database, list_id, second_key)
    assert [e.supplier_id for e in shortlists.shortlist_entries(database, list_id)] == [first]
    shortlists.delete_shortlist(database, list_id)
    assert shortlists.find_shortlist(database, list_id) is None
    assert [i.name for i in shortlists.list_shortlists(database)] == ["Autre liste (fictive)"]
    with database.shared_engine.connect() as conn:  # the lists live with the dossiers
        assert conn.exec_driver_sql("SELECT count(*) FROM shortlist_entry").scalar() == 0


def test_snapshot_of_a_list_is_plain_data(database):
    (first, siret, kind), = _suppliers(database, 1)
    list_id = shortlists.create_shortlist(database, "Envoyée (fictive)")
    shortlists.add_to_shortlist(database, list_id, first, "vue au salon")
    snapshot = _shortlist_snapshot(database, list_id)
    assert snapshot["name"] == "Envoyée (fictive)" and len(snapshot["suppliers"]) == 1
    supplier = snapshot["suppliers"][0]
    assert (supplier["siret"], supplier["kind"], supplier["note"]) == (siret, kind, "vue au salon")
    assert set(supplier) == {"name", "siret", "kind", "commune", "postcode", "source", "source_date", "note"}
    assert _shortlist_snapshot(database, 999_999) is None and _shortlist_snapshot(database, None) is None


def test_a_line_names_its_supplier_by_catalogue_key_and_survives_its_absence_here(database):
    """A list's line keeps what a colleague needs to read it: a workstation whose catalogue lacks the
    supplier (not imported there, or removed since) still shows its name, SIRET and kind."""
    from achatsdesk.catalogue.upsert import delete_suppliers

    (first, siret, kind), (second, _, _) = _suppliers(database)
    list_id = shortlists.create_shortlist(database, "Partagée (fictive)")
    shortlists.add_to_shortlist(database, list_id, first, "à rappeler")
    shortlists.add_to_shortlist(database, list_id, second)
    name = get_supplier(database, first).name
    with database.engine.begin() as conn:  # this workstation's catalogue loses the first supplier
        delete_suppliers(conn, [first])
    lines = {e.siret: e for e in shortlists.shortlist_entries(database, list_id, near_insee="95500")}
    absent = lines[siret]
    assert absent.supplier_id is None and absent.distance_km is None
    assert (absent.name, absent.kind, absent.note, absent.match_key) == (name, kind, "à rappeler", f"{siret}|{kind}")
    assert shortlists.find_shortlist(database, list_id).size == 2
    present = next(e for e in lines.values() if e.supplier_id == second)
    assert present.distance_km is not None  # this catalogue's position of the supplier it holds
    snapshot = _shortlist_snapshot(database, list_id)
    assert {s["siret"] for s in snapshot["suppliers"]} == set(lines)
    shortlists.remove_from_shortlist(database, list_id, absent.match_key)  # removable all the same
    assert [e.supplier_id for e in shortlists.shortlist_entries(database, list_id)] == [second]
