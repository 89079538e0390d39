"""The DECP v2 export of a year validates against the official schema; its considerations
follow the clauses exactly as the eForms codes of the notice do."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from achatsdesk.domain.dossier import ClauseSelection
from achatsdesk.domain.eforms import notice_tags
from achatsdesk.services.dossiers import get_dossier
from achatsdesk.services.execution import library_map
from achatsdesk.services.returns import export_decp
from tests.dossier_edits import choose_clause, drop_clause
from tests.returns.conftest import BUYER_SIRET, REPO

SCHEMA = json.loads((REPO / "resources" / "schemas" / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))


def _export(database, tmp_path: Path, name: str) -> dict:
    outcome = export_decp(database, 2027, tmp_path / name, BUYER_SIRET)
    document = json.loads(outcome.path.read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA)
    return document


def _bt06(database, dossier_id: int, lot_index: int) -> list[str]:
    dossier = get_dossier(database, dossier_id).dossier
    library = library_map(database)
    chosen = [library[c.clause_id] for c in dossier.clauses if c.lot in (None, lot_index)]
    return notice_tags(t.eforms for t in chosen)["BT-06"]


def test_the_year_validates_and_considerations_follow_the_clauses(database, awarded, tmp_path) -> None:
    document = _export(database, tmp_path, "decp-2027.json")
    first, second = document["marches"]["marche"]
    assert (first["id"], first["titulaires"][0]["titulaire"]["id"], first["montant"]) == \
        ("2026-NET-01-L1", "77554402601177", 680000.0)
    assert first["lieuExecution"] == {"code": "95127", "typeCode": "Code commune"}
    assert first["considerationsSociales"]["considerationSociale"] == ["Clause sociale"]
    assert first["considerationsEnvironnementales"]["considerationEnvironnementale"] == [
        "Pas de considération environnementale"]
    assert _bt06(database, awarded, 0) == ["soc-obj"]

    # The buyer changes lot 1's clauses: the insertion clause out, an environmental criterion in.
    drop_clause(database, awarded, "insertion-heures", lot=0)
    drop_clause(database, awarded, "insertion-penalites", lot=None)
    choose_clause(database, awarded, ClauseSelection("critere-environnemental", "1.0", {}, lot=0))
    document = _export(database, tmp_path, "decp-2027-bis.json")
    first, second = document["marches"]["marche"]
    assert first["considerationsSociales"]["considerationSociale"] == ["Pas de considération sociale"]
    assert first["considerationsEnvironnementales"]["considerationEnvironnementale"] == ["Critère environnemental"]
    assert _bt06(database, awarded, 0) == ["env-imp"]
    # Lot 2 kept its insertion clause: still social, on both sides.
    assert second["considerationsSociales"]["considerationSociale"] == ["Clause sociale"]
    assert _bt06(database, awarded, 1) == ["soc-obj"]


def test_a_reservation_is_a_reserved_contract(database, awarded, tmp_path) -> None:
    choose_clause(database, awarded, ClauseSelection("reserve-siae", "1.0", {}, lot=0))
    first = _export(database, tmp_path, "decp.json")["marches"]["marche"][0]
    assert first["considerationsSociales"]["considerationSociale"] == ["Clause sociale", "Marché réservé"]


def test_other_years_and_incomplete_awards_are_left_out_with_a_reason(database, awarded, tmp_path) -> None:
    assert export_decp(database, 2026, tmp_path / "vide.json", BUYER_SIRET).rows == 0
    from achatsdesk.services import execution
    from tests.execution.conftest import SIAE_SIRET

    execution.award_lot(database, awarded, lot=2, siret=SIAE_SIRET, notified_on="2027-03-01", amount=1000)
    outcome = export_decp(database, 2027, tmp_path / "decp.json", BUYER_SIRET)
    assert outcome.rows == 1 and "nombre d'offres reçues" in outcome.skipped[0]
    assert any("ccag" in field for field in outcome.to_check)


def test_two_dossiers_with_the_same_reference_get_distinct_identifiers(database, awarded, tmp_path) -> None:
    from achatsdesk.services import execution
    from achatsdesk.services.dossiers import create_dossier, record_review
    from tests.execution.conftest import SIAE_SIRET, example_dossier

    other = create_dossier(database, example_dossier())  # same reference 2026-NET-01
    record_review(database, other, "valide", "Cheffe du service achats")
    execution.award_lot(database, other, lot=1, siret=SIAE_SIRET, notified_on="2027-06-01", amount=1000,
                        offers_received=1, duration_months=6)
    ids = [m["id"] for m in _export(database, tmp_path, "decp.json")["marches"]["marche"]]
    assert len(ids) == len(set(ids)) == 3 and f"AD{other}-L1" in ids
