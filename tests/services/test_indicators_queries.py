"""The indicators read in two set-based queries equal the indicators of the dossiers loaded one by one."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.domain.indicators import indicators_by_year
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_figures import resolved_dossier
from achatsdesk.services.indicators import dossier_indicators


def test_set_based_indicators_equal_the_per_dossier_ones(database):
    library = {c.id: c for c in load_library(database).all()}
    with_hours = [c.id for c in library.values() if any(v.prefill == "insertion_hours" for v in c.variables)]
    assert with_hours
    hours_variable = next(v.name for v in library[with_hours[0]].variables if v.prefill == "insertion_hours")
    rng = random.Random(7)
    ids = list(library)
    for i in range(40):
        clauses = [ClauseSelection(c) for c in rng.sample(ids, k=rng.randint(0, 5))]
        if i % 3 == 0:
            clauses.append(ClauseSelection(with_hours[0], variables={hours_variable: 100 + i}))
        if i % 11 == 0:
            clauses.append(ClauseSelection("clause-supprimee-fictive"))
        svc.create_dossier(database, Dossier(
            f"Dossier {i} (fictif)", estimated_amount_eur=Decimal(1000 * (i + 1)),
            launch_date=None if i % 9 == 0 else date(2020 + i % 5, 3, 1),
            lots=[Lot("Lot A", amount_eur=Decimal(500 + i)), Lot("Lot B", amount_eur=Decimal(7))] if i % 4 == 0 else [],
            clauses=clauses,
        ))
    # The reference: each dossier read whole and resolved as the documents print it (a clause that
    # states no hours carries the sizing's, never the template's default), one by one.
    one_by_one = [resolved_dossier(svc.get_dossier(database, s.id).dossier, library)
                  for s in svc.list_dossiers(database)]
    expected = indicators_by_year(one_by_one, library)
    assert dossier_indicators(database) == expected
    assert sum(line.dossiers for line in expected) == 40
    assert sum(line.insertion_hours for line in expected) > 14 * 100  # the 14 stated figures at least
