"""Managing named shortlists: unique names after a dossier, rename, distances, dossiers using a list, XLSX export."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import NotFoundError, ValidationError
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import dossiers


@pytest.fixture
def catalogue_db(database):
    from achatsdesk.services.catalogue import ensure_embedded_catalogue

    ensure_embedded_catalogue(database.engine)
    return database


def _two_suppliers(database) -> list[tuple[int, str]]:
    """Two real structures of the embedded catalogue that have coordinates."""
    with database.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, name FROM supplier WHERE latitude IS NOT NULL ORDER BY id LIMIT 2").all()]


def test_unique_creation_numbers_a_taken_name(database):
    first = shortlists.create_shortlist(database, "Nettoyage des collèges", unique=True)
    second = shortlists.create_shortlist(database, "Nettoyage  des collèges", unique=True)
    third = shortlists.create_shortlist(database, "Nettoyage des collèges", unique=True)
    names = {i.id: i.name for i in shortlists.list_shortlists(database)}
    assert names[first] == "Nettoyage des collèges"
    assert names[second] == "Nettoyage des collèges (2)"
    assert names[third] == "Nettoyage des collèges (3)"
    with pytest.raises(ValidationError):
        shortlists.create_shortlist(database, "Nettoyage des collèges")


def test_rename_keeps_entries_and_refuses_empty_taken_or_missing(catalogue_db):
    list_id = shortlists.create_shortlist(catalogue_db, "Traiteurs")
    other = shortlists.create_shortlist(catalogue_db, "Espaces verts")
    supplier_id, _name = _two_suppliers(catalogue_db)[0]
    shortlists.add_to_shortlist(catalogue_db, list_id, supplier_id)
    shortlists.rename_shortlist(catalogue_db, list_id, "  Traiteurs   2027 ")
    info = shortlists.find_shortlist(catalogue_db, list_id)
    assert info is not None and info.name == "Traiteurs 2027" and info.size == 1
    with pytest.raises(ValidationError, match="déjà"):
        shortlists.rename_shortlist(catalogue_db, other, "Traiteurs 2027")
    with pytest.raises(ValidationError, match="vide"):
        shortlists.rename_shortlist(catalogue_db, other, "   ")
    shortlists.delete_shortlist(catalogue_db, other)
    assert shortlists.find_shortlist(catalogue_db, other) is None
    with pytest.raises(NotFoundError):
        shortlists.rename_shortlist(catalogue_db, other, "Autre")


def test_entries_carry_source_and_distance_from_the_place(catalogue_db):
    list_id = shortlists.create_shortlist(catalogue_db, "Proches")
    suppliers = _two_suppliers(catalogue_db)
    for supplier_id, _ in suppliers:
        shortlists.add_to_shortlist(catalogue_db, list_id, supplier_id)
    plain = shortlists.shortlist_entries(catalogue_db, list_id)
    assert all(e.distance_km is None for e in plain)
    assert all(e.source for e in plain)
    near = shortlists.shortlist_entries(catalogue_db, list_id, near_insee="95127")  # Cergy
    assert {e.supplier_id for e in near} == {s for s, _ in suppliers}
    assert all(e.distance_km is not None and e.distance_km >= 0 for e in near)
    # the same supplier measured from two far-apart communes is not at the same distance
    far = shortlists.shortlist_entries(catalogue_db, list_id, near_insee="13055")  # Marseille
    assert [round(e.distance_km) for e in far] != [round(e.distance_km) for e in near]


def test_dossiers_using_a_list_are_named(database):
    list_id = shortlists.create_shortlist(database, "Liste du dossier")
    assert shortlists.dossiers_using(database, list_id) == []
    dossiers.create_dossier(database, Dossier(title="Entretien des gymnases", shortlist_id=list_id))
    assert shortlists.dossiers_using(database, list_id) == ["Entretien des gymnases"]


def test_export_writes_the_list_as_xlsx(catalogue_db, tmp_path: Path):
    list_id = shortlists.create_shortlist(catalogue_db, "À exporter")
    suppliers = _two_suppliers(catalogue_db)
    for supplier_id, _ in suppliers:
        shortlists.add_to_shortlist(catalogue_db, list_id, supplier_id)
    out = shortlists.export_shortlist_xlsx(catalogue_db, list_id, tmp_path / "liste.xlsx")
    sheet = load_workbook(out).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(name for _, name in suppliers)
    shortlists.delete_shortlist(catalogue_db, list_id)
    with pytest.raises(NotFoundError):
        shortlists.export_shortlist_xlsx(catalogue_db, list_id, tmp_path / "autre.xlsx")
