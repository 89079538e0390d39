"""Explicit orders apply to the whole result set, not to the page already loaded."""

from __future__ import annotations

import pytest

from achatsdesk.domain.text import fold
from achatsdesk.services.catalogue import search_suppliers


def _all(database, text="", **kwargs):
    first = search_suppliers(database, text, limit=1000, **kwargs)
    hits = list(first.hits)
    while len(hits) < first.total:
        hits += search_suppliers(database, text, limit=1000, offset=len(hits), **kwargs).hits
    return first.total, hits


@pytest.mark.parametrize("text", ["", "nettoyage"])
def test_name_order_over_the_whole_set_is_the_folded_sorted_order(catalogue_db, text):
    total, relevance = _all(catalogue_db, text)
    _, by_name = _all(catalogue_db, text, order="name")
    assert len(by_name) == total == len(relevance) and total > 100
    assert {h.id for h in by_name} == {h.id for h in relevance}
    assert [fold(h.name) for h in by_name] == sorted(fold(h.name) for h in relevance)
    _, backwards = _all(catalogue_db, text, order="name", descending=True)
    assert [fold(h.name) for h in backwards] == sorted((fold(h.name) for h in relevance), reverse=True)


def test_first_page_by_name_starts_with_the_catalogues_first_name(catalogue_db):
    relevance = search_suppliers(catalogue_db, "nettoyage", limit=20)
    _, everything = _all(catalogue_db, "nettoyage")
    first = min(everything, key=lambda h: (fold(h.name), h.id))
    assert first.id not in {h.id for h in relevance.hits}  # the case that misled buyers
    assert search_suppliers(catalogue_db, "nettoyage", limit=20, order="name").hits[0].id == first.id


def test_other_orders_keep_filters_and_sort_every_match(catalogue_db):
    total, hits = _all(catalogue_db, kinds=["Handicap (EA, ESAT)"], order="commune")
    assert {h.kind for h in hits} <= {"EA", "EATT", "ESAT"} and len(hits) == total
    assert [fold(h.commune or "") for h in hits] == sorted(fold(h.commune or "") for h in hits)
    _, kinds = _all(catalogue_db, order="kind", descending=True)
    assert [h.kind for h in kinds] == sorted((h.kind for h in kinds), reverse=True)
    _, dated = _all(catalogue_db, departements=["95"], order="source_date")
    assert [h.source_date for h in dated] == sorted(h.source_date for h in dated)


def test_place_orders(catalogue_db):
    nearest = search_suppliers(catalogue_db, near="Cergy", radius_km=30, limit=500)
    total, farthest = _all(catalogue_db, near="Cergy", radius_km=30, order="distance", descending=True)
    assert total == nearest.total == len(farthest)
    assert [h.distance_km for h in farthest] == sorted((h.distance_km for h in nearest.hits), reverse=True)
    _, by_name = _all(catalogue_db, "esat", near="Cergy", radius_km=30, order="name")
    assert by_name and all(h.distance_km <= 30 for h in by_name)
    assert [fold(h.name) for h in by_name] == sorted(fold(h.name) for h in by_name)
    # Distance without a place means relevance.
    plain = search_suppliers(catalogue_db, "esat", limit=30)
    assert [h.id for h in search_suppliers(catalogue_db, "esat", limit=30, order="distance").hits] == [h.id for h in plain.hits]


def test_the_list_without_search_text_ignores_accents_and_capitals(catalogue_db):
    total, hits = _all(catalogue_db)
    names = [fold(h.name) for h in hits]
    assert len(names) == total > 5000 and names == sorted(names)
    raw = [h.name for h in hits]
    assert raw != sorted(raw)  # the real catalogue mixes "ASSOCIATION …" and "Association …"
