"""Supplier search over the shipped catalogue: text, filters, radius, odd input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achatsdesk.domain.geo import distance_km
from achatsdesk.errors import ValidationError
from achatsdesk.services.catalogue import search_suppliers


def test_prefix_finds_emmaus_whatever_the_accents(catalogue_db):
    for query in ("emmau", "EMMAÜ", "Emmaüs"):
        result = search_suppliers(catalogue_db, query, limit=100)
        assert result.total >= 10
        assert all("emmaus" in (h.name + " " + (h.brand or "")).lower().replace("ü", "u") for h in result.hits)


def test_names_starting_with_the_word_come_first(catalogue_db):
    result = search_suppliers(catalogue_db, "emmaus", limit=5)
    assert result.hits[0].name.upper().startswith("EMMAUS")


def _catalogue_size(database) -> int:
    with database.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one()


# Each odd input, and the plain words a buyer would have typed for it: operators and
# punctuation are not query syntax, they are left out.
ODD_INPUTS = [('AND( "', "and"), ('"', ""), ("*", ""), ("-", ""), ("NEAR(", "near"), ("a OR b", "a or b"),
              ("^", ""), ("{name}:x", "name x"), ("'); DROP TABLE supplier;--", "drop table supplier")]


@pytest.mark.parametrize(("query", "plain"), ODD_INPUTS)
def test_odd_input_never_raises(catalogue_db, query, plain):
    size = _catalogue_size(catalogue_db)
    result = search_suppliers(catalogue_db, query)
    expected = search_suppliers(catalogue_db, plain).total if plain else size  # no words: the whole catalogue
    assert result.total == expected
    assert [h.id for h in result.hits] == [h.id for h in search_suppliers(catalogue_db, plain).hits]
    assert _catalogue_size(catalogue_db) == size  # nothing ran but a search


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_text_is_searched_as_text(catalogue_db, text):
    result = search_suppliers(catalogue_db, text, limit=5)
    assert len(result.hits) == min(result.total, 5)
    assert result.total <= _catalogue_size(catalogue_db)


def test_kind_groups_and_departements(catalogue_db):
    result = search_suppliers(catalogue_db, kinds=["Handicap (EA, ESAT)"], departements=["95"], limit=500)
    assert result.total >= 15
    assert {h.kind for h in result.hits} <= {"EA", "EATT", "ESAT"}
    assert {h.departement for h in result.hits} == {"95"}


def test_radius_matches_a_brute_force_haversine(catalogue_db):
    with catalogue_db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, latitude, longitude FROM supplier WHERE latitude IS NOT NULL").all()
        lat, lon = conn.exec_driver_sql("SELECT latitude, longitude FROM commune WHERE insee = '69123'").one()
    for radius in (5, 30, 120):
        expected = sorted((distance_km(lat, lon, a, b), i) for i, a, b in rows if distance_km(lat, lon, a, b) <= radius)
        result = search_suppliers(catalogue_db, near="69123", radius_km=radius, limit=40)
        assert result.total == len(expected)
        assert [h.id for h in result.hits] == [i for _, i in expected[:40]]
        assert all(abs(h.distance_km - d) < 1e-6 for h, (d, _) in zip(result.hits, expected, strict=False))


def test_text_kind_and_radius_together(catalogue_db):
    result = search_suppliers(catalogue_db, "esat", kinds=["ESAT"], near="Cergy", radius_km=15)
    assert result.place.insee == "95127"
    assert result.total >= 5
    assert all(h.kind == "ESAT" and h.distance_km <= 15 for h in result.hits)
    assert [h.distance_km for h in result.hits] == sorted(h.distance_km for h in result.hits)
    paged = search_suppliers(catalogue_db, "esat", kinds=["ESAT"], near="95127", radius_km=15, limit=2, offset=2)
    assert [h.id for h in paged.hits] == [h.id for h in result.hits[2:4]]


def test_sector_filter_by_name_and_group(catalogue_db):
    cleaning = search_suppliers(catalogue_db, sectors=["Nettoyage de locaux"], limit=200)
    assert cleaning.total > 20
    assert all("Nettoyage de locaux" in h.sectors for h in cleaning.hits)
    group = search_suppliers(catalogue_db, sectors=["Hygiène et Propreté"])
    assert group.total >= cleaning.total
    with pytest.raises(ValidationError):
        search_suppliers(catalogue_db, sectors=["Secteur imaginaire"])


def test_unknown_commune_is_a_french_error(catalogue_db):
    with pytest.raises(ValidationError) as info:
        search_suppliers(catalogue_db, near="Zzzzville", radius_km=10)
    assert "introuvable" in info.value.user_message


def test_text_matches_commune_and_sector_words(catalogue_db):
    by_commune = search_suppliers(catalogue_db, "pontoise", limit=100)
    assert any((h.commune or "").lower().startswith("pontoise") for h in by_commune.hits)
    by_sector = search_suppliers(catalogue_db, "blanchisserie", limit=100)
    assert any("Blanchisserie" in h.sectors or "BLANCHISSERIE" in h.name.upper() for h in by_sector.hits)
