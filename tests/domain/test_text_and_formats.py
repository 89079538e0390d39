from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from achatsdesk.domain import formatting as f
from achatsdesk.domain.geo import bounding_box, distance_km
from achatsdesk.domain.text import fold, fts_prefix_query, words


def test_fold_strips_accents_and_case() -> None:
    assert fold("Bâtiments EMMAÜS Œuvre") == "batiments emmaus oeuvre"


def test_words_drop_french_stopwords_but_never_everything() -> None:
    assert words("nettoyage de bâtiments") == ["nettoyage", "batiments"]
    assert words("de la") == ["de", "la"]


@given(st.text())
def test_fts_query_is_always_quoted_tokens(text: str) -> None:
    query = fts_prefix_query(text)
    if query is not None:
        for part in query.split(" "):
            assert part.startswith('"') and part.endswith('"*')


def test_money_and_numbers_in_french() -> None:
    assert f.format_money(1_200_000) == "1\u202f200\u202f000\u00a0€\u00a0HT"
    assert f.format_money(215_999.99) == "215\u202f999,99\u00a0€\u00a0HT"
    assert f.format_money(Decimal("216000.00")) == "216\u202f000\u00a0€\u00a0HT"
    assert f.format_money(1234.5, ht=False, decimals=2) == "1\u202f234,50\u00a0€"
    assert f.format_number(-12345) == "-12\u202f345"
    assert f.format_percent(0.05) == "5\u00a0%"
    assert f.format_percent(0.125) == "12,5\u00a0%"


def test_dates_in_french() -> None:
    assert f.format_date_short(date(2026, 12, 1)) == "1er déc. 2026"
    assert f.format_date_short(date(2026, 8, 21)) == "21 août 2026"
    assert f.format_date_field(date(2026, 12, 1)) == "01/12/2026"
    assert f.format_date_long(date(2026, 8, 21)) == "21 août 2026"
    assert f.format_date_long(date(2026, 12, 1)) == "1er décembre 2026"


def test_distance_cergy_pontoise() -> None:
    # Cergy and Pontoise town centres are about 3.8 km apart.
    assert 3.0 < distance_km(49.0362, 2.0524, 49.0526, 2.0959) < 4.5


@given(
    st.floats(min_value=-80, max_value=80),
    st.floats(min_value=-179, max_value=179),
    st.floats(min_value=0.1, max_value=500),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=6.283),
)
def test_bounding_box_holds_every_point_within_radius(lat, lon, radius, fraction, angle) -> None:
    import math

    box = bounding_box(lat, lon, radius)
    # a point at fraction*radius in direction angle (small-distance approximation)
    d = radius * fraction * 0.99
    dlat = math.degrees(d / 6371.0088) * math.cos(angle)
    dlon = math.degrees(d / (6371.0088 * math.cos(math.radians(lat)))) * math.sin(angle)
    plat, plon = lat + dlat, lon + dlon
    if distance_km(lat, lon, plat, plon) <= radius:
        assert box.min_lat <= plat <= box.max_lat
        assert box.min_lon <= plon <= box.max_lon
