"""dossiers_repo.load_many reads several dossiers as load reads each one (the per-dossier lines of the indicators use it)."""

from __future__ import annotations

import copy
from decimal import Decimal

from achatsdesk.domain.dossier import ClauseSelection, Lot
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossiers import create_dossier
from achatsdesk.storage import dossiers_repo


def test_load_many_reads_each_dossier_as_load_does(database, example_dossier) -> None:
    clause_ids = [c.id for c in load_library(database).all()][:4]
    ids = []
    for n in range(3):
        dossier = copy.deepcopy(example_dossier)
        dossier.title = f"{dossier.title} {n}"
        dossier.lots = dossier.lots[:n] + [Lot(f"Lot ajouté {n}", amount_eur=Decimal(1000 * (n + 1)))]
        dossier.clauses = [ClauseSelection(c, variables={"rang": n}) for c in clause_ids[n:]]
        ids.append(create_dossier(database, dossier))
    with database.unit_of_work() as session:
        one_by_one = {i: dossiers_repo.load(session, dossiers_repo.get_row(session, i)) for i in ids}
        together = dossiers_repo.load_many(session, [*ids, 999_999])  # an unknown id is left out
    assert sorted(together) == sorted(ids)
    for i in ids:
        assert together[i] == one_by_one[i]
    assert [lot.title for lot in together[ids[2]].dossier.lots][-1] == "Lot ajouté 2"
    assert [c.clause_id for c in together[ids[0]].dossier.clauses] == clause_ids
    assert [c.clause_id for c in together[ids[2]].dossier.clauses] == clause_ids[2:]
    assert together[ids[2]].dossier.clauses[0].variables == {"rang": 2}
