"""Indicators by launch year: counts, amounts, shares, insertion hours, reservations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.domain.indicators import NO_DATE, indicators_by_year
from achatsdesk.services.clause_library import load_library

LIBRARY = {clause.id: clause for clause in load_library(None).all()}


def _dossier(title, launch, amount, *clauses, lots=()):
    # Made-up dossiers for the test.
    return Dossier(title, estimated_amount_eur=amount, launch_date=launch, lots=list(lots),
                   clauses=[ClauseSelection(cid, "1.0", variables) for cid, variables in clauses])


def test_each_year_counts_its_dossiers_and_their_clauses() -> None:
    lines = indicators_by_year([
        _dossier("A", date(2026, 3, 1), 100_000, ("insertion-heures", {"heures": 700}), ("vehicules-faibles-emissions", {})),
        _dossier("B", date(2026, 9, 1), 300_000, ("reserve-siae", {})),
        _dossier("C", date(2026, 10, 1), 0, lots=[Lot("l1", None, 50_000), Lot("l2", None, 50_000)]),
        _dossier("D", date(2027, 1, 15), 40_000, ("critere-environnemental", {"poids": 20})),
        _dossier("E", None, 10_000),
        _dossier("F", date(2027, 2, 1), 60_000, ("clause-disparue", {})),  # a user clause since deleted
    ], LIBRARY)
    assert [line.year for line in lines] == [2027, 2026, NO_DATE]
    y2027, y2026, undated = lines
    assert (y2026.dossiers, y2026.amount_eur) == (3, Decimal(500_000))  # C counts its lots
    assert (y2026.social, y2026.social_amount_eur) == (2, Decimal(400_000))  # A (insertion) and B (reservation)
    assert (y2026.environmental, y2026.environmental_amount_eur) == (1, Decimal(100_000))
    assert y2026.share(y2026.social_amount_eur) == Decimal("0.8")
    assert (y2026.insertion_hours, y2026.reserved) == (700, 1)
    assert (y2027.dossiers, y2027.environmental, y2027.social) == (2, 1, 0)
    assert (undated.dossiers, undated.social, undated.environmental) == (1, 0, 0)
    assert indicators_by_year([], LIBRARY) == []


def test_an_insertion_clause_without_a_typed_value_counts_its_default_hours() -> None:
    default = LIBRARY["insertion-heures"].defaults()["heures"]
    [line] = indicators_by_year([_dossier("A", date(2026, 1, 5), 1, ("insertion-heures", {}))], LIBRARY)
    assert line.insertion_hours == default > 0


def test_hours_that_are_not_a_number_are_not_counted() -> None:
    [line] = indicators_by_year([
        _dossier("A", date(2026, 1, 5), 1, ("insertion-heures", {"heures": "beaucoup"})),
        _dossier("B", date(2026, 2, 5), 1, ("insertion-heures", {"heures": "250"})),
    ], LIBRARY)
    assert line.insertion_hours == 250 and line.social == 2

