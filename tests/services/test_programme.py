"""Judging a programme: the engine's own answers per line, totals that add up, progress and
cancel, and a line that keeps its dossier when its amount changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from achatsdesk.errors import Cancelled
from achatsdesk.paths import resources_dir
from achatsdesk.services.dossier_rules import check_dossier
from achatsdesk.services.programme import judge_programme, result_document
from achatsdesk.services.programme_dossiers import create_dossiers, parse_line_numbers

EXAMPLE = resources_dir().parent / "examples" / "programme-2027.csv"


def test_each_line_carries_check_dossier_of_its_own_dossier(database) -> None:
    result = judge_programme(EXAMPLE, database, year=2027)
    for judged in result.lines:
        if judged.dossier is not None:
            assert judged.check == check_dossier(judged.dossier)


def test_totals_add_up(database) -> None:
    result = judge_programme(EXAMPLE, database, year=2027)
    judged = [j for j in result.lines if j.check]
    totals = result.totals
    assert totals.amount_eur == sum((j.amount_eur for j in judged), Decimal(0)) == Decimal("12178000")
    assert totals.potential_hours == sum(j.hours for j in judged) == sum(s.hours for s in totals.by_service)
    assert sum(totals.by_lever.values()) == 37 == sum(s.lines for s in totals.by_service)
    assert totals.condition_mandatory == sum(1 for j in judged if j.social_mandatory or j.environmental_mandatory)
    assert totals.social_mandatory == sum(1 for j in judged if j.social_mandatory) > 0
    assert totals.reservation_possible == sum(1 for j in judged if j.lever_id in ("reserver-marche", "reserver-lot"))
    document = result_document(result)
    assert document["totals"]["potential_hours"] == sum(line["hours"] or 0 for line in document["lines"])


def test_progress_is_reported_and_cancel_stops(database) -> None:
    seen = []
    judge_programme(EXAMPLE, database, year=2027, progress=lambda d, t, m: seen.append((d, t)))
    assert seen and seen[-1] == (40, 40)
    with pytest.raises(Cancelled):
        judge_programme(EXAMPLE, database, year=2027, cancelled=lambda: True)


def test_a_line_keeps_its_dossier_when_its_amount_changes(database, tmp_path: Path) -> None:
    path = tmp_path / "programme.csv"
    path.write_text("Service;Objet;CPV;Montant;Lancement;Lieu\n"
                    "Voirie;Balayage;90610000-6;300 000;T2 2027;Cergy\n"
                    "Voirie;Balayage;90610000-6;100 000;T4 2027;Cergy\n", encoding="utf-8")
    first = create_dossiers(database, judge_programme(path, database), [2, 3])
    assert len(first.created) == 2  # the same object twice in the year: two purchases, two dossiers
    path.write_text(path.read_text(encoding="utf-8").replace("300 000", "320 000"), encoding="utf-8")
    again = create_dossiers(database, judge_programme(path, database), [2, 3])
    assert again.created == [] and [d.dossier_id for d in again.existing] == [d.dossier_id for d in first.created]


def test_line_numbers() -> None:
    assert parse_line_numbers("3,7-9, 12") == [3, 7, 8, 9, 12]
    assert parse_line_numbers("4,4-5") == [4, 5]


def test_the_organisation_settings_come_from_the_folder_the_caller_gives(paths, tmp_path) -> None:
    """The window passes its context's configuration folder; the command line falls back to its own."""
    import json

    from achatsdesk.services.programme import ORGANISATION_FILE, organisation_buyer

    given = tmp_path / "config-de-la-fenetre"
    given.mkdir()
    (given / ORGANISATION_FILE).write_text(json.dumps({"name": "Commune fictive", "default_place": "95127"}),
                                           encoding="utf-8")
    buyer = organisation_buyer(given)
    assert (buyer.name, buyer.default_place) == ("Commune fictive", "95127")
    assert organisation_buyer().name == ""  # the process's own folder has no such file
