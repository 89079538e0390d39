"""The indicators read in two set-based queries equal the indicators of the dossiers loaded one by one."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from achatsdesk.domain.dossier import ClauseSelection, ContractKind, Dossier, InsertionFactors, Lot
from achatsdesk.domain.indicators import indicators_by_year
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_figures import resolved_dossier
from achatsdesk.services.indicators import dossier_indicators
from achatsdesk.services.trash import move_to_trash


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
        elif i % 6 in (1, 2):  # hours that follow the sizing, with the buyer's own factors below
            clauses.append(ClauseSelection(with_hours[0]))
        if i % 11 == 0:
            clauses.append(ClauseSelection("clause-supprimee-fictive"))
        # What the sizing reads varies too: CPV codes (each lot's labour share), lots without amounts,
        # the buyer's own factors, a framework agreement's maximum.
        lots = {0: [Lot("Lot A", "45000000", Decimal(500 + i)), Lot("Lot B", "90910000", Decimal(7))],
                1: [Lot("Lot sans montant", "50000000", Decimal(0))], 2: [], 3: []}[i % 4]
        svc.create_dossier(database, Dossier(
            f"Dossier {i} (fictif)", estimated_amount_eur=Decimal(1000 * (i + 1)) + Decimal("0.35"),
            cpv=[("45210000", "79000000", "90911200")[i % 3]] if i % 5 else [],
            launch_date=None if i % 9 == 0 else date(2020 + i % 5, 3, 1),
            lots=lots, clauses=clauses,
            insertion=InsertionFactors(rate=Decimal("0.07"), hourly_cost=Decimal(35), taken_over_share=Decimal("0.2"))
            if i % 6 == 1 else InsertionFactors(labour_share=Decimal("0.3")) if i % 6 == 2 else None,
            contract_kind=ContractKind.ACCORD_CADRE if i % 7 == 3 else ContractKind.MARCHE,
            framework_max_eur=Decimal(250_000 + i) if i % 7 == 3 else None,
        ))
    trashed = svc.create_dossier(database, Dossier("À la corbeille (fictif)", estimated_amount_eur=Decimal(9e6),
                                                   clauses=[ClauseSelection(with_hours[0])]))
    move_to_trash(database, trashed)
    # The reference: each dossier read whole and resolved as the documents print it (a clause that
    # states no hours carries the sizing's, never the template's default), one by one.
    one_by_one = [resolved_dossier(svc.get_dossier(database, s.id).dossier, library)
                  for s in svc.list_dossiers(database)]
    expected = indicators_by_year(one_by_one, library)
    assert dossier_indicators(database) == expected
    assert sum(line.dossiers for line in expected) == 40
    assert sum(line.insertion_hours for line in expected) > 14 * 100  # the 14 stated figures at least
