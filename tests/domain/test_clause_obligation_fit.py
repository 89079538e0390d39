"""A clause covers an obligation only if its kind is the one the law asks for.

L2112-2 and L2112-2-1 ask for an execution condition, L2152-7 for an award
criterion, L2113-12 and following for a reservation: an award criterion on
insertion performance does not satisfy the mandatory social execution
condition, and a CCTP specification is no execution condition.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from achatsdesk.domain.clauses import answered_obligations, validate_clause
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.clause_format import clause_from_dict

CLAUSE_FILES = sorted((resources_dir() / "clauses").glob("*.json"))
# The kinds each obligation admits (written out here, independently of the code).
ADMITTED = {
    "env-execution-condition": {"condition-execution"},
    "social-execution-condition": {"condition-execution"},
    "insertion-clause": {"condition-execution"},
    "env-award-criterion": {"critere-attribution"},
    "reserved-contract": {"reservation"},
    "labels": {"specification-technique", "critere-attribution", "condition-execution"},
    "agec-reuse-recycled": {"specification-technique", "condition-execution"},
    "egalim": {"specification-technique", "condition-execution"},
    "lots": {"mention", "reservation"},
    "spaser": {"condition-execution", "mention"},
}
SOCIAL_ONLY = {"social-execution-condition", "insertion-clause", "reserved-contract"}
ENVIRONMENTAL_ONLY = {"env-execution-condition", "env-award-criterion"}


def _load(path: Path):
    return clause_from_dict(json.loads(path.read_text(encoding="utf-8")), path.name)


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_every_shipped_clause_claims_only_obligations_its_kind_fits(path: Path) -> None:
    clause = _load(path)
    for obligation_id in clause.obligations:
        assert clause.kind in ADMITTED[obligation_id], f"{clause.id} ({clause.kind}) ne répond pas à {obligation_id}"
        if obligation_id in SOCIAL_ONLY:
            assert clause.family not in {"condition-environnementale", "critere-environnemental", "specification-environnementale"}
        if obligation_id in ENVIRONMENTAL_ONLY:
            assert clause.family not in {"condition-sociale", "critere-social", "reservation"}
    assert answered_obligations(clause) == clause.obligations


def test_the_clauses_the_review_found_no_longer_claim_what_they_cannot_cover() -> None:
    by_id = {p.stem: _load(p) for p in CLAUSE_FILES}
    assert "social-execution-condition" not in by_id["critere-performance-insertion"].obligations
    assert "env-execution-condition" not in by_id["nettoyage-produits-ecolabellises"].obligations
    # Each execution-condition obligation still has clauses to answer it.
    for obligation_id in ("social-execution-condition", "env-execution-condition", "env-award-criterion", "reserved-contract"):
        assert any(obligation_id in c.obligations for c in by_id.values())


def test_a_user_clause_claiming_an_obligation_its_kind_cannot_meet_is_refused_in_french() -> None:
    clause = clause_from_dict({
        "id": "perso-critere-insertion", "title": "Critère insertion", "family": "critere-social",
        "kind": "critere-attribution", "document": "RC", "legal_basis": "R2152-7", "version": "1.0",
        "body": "Critère d'insertion.", "obligations": ["social-execution-condition"],
    })
    with pytest.raises(ValidationError, match="perso-critere-insertion.*social-execution-condition.*condition d'exécution"):
        validate_clause(clause)
    assert answered_obligations(clause) == ()  # a copy stored earlier no longer counts as covering it


def test_suggestions_do_not_count_a_misfit_claim_of_a_stored_user_clause_as_coverage() -> None:
    from dataclasses import replace

    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.domain.obligations import Assessment, Obligation, ObligationStatus, Procedure
    from achatsdesk.domain.suggestions import clauses_answering, suggest_clauses

    criterion = replace(clause_from_dict({
        "id": "perso-critere-insertion", "title": "Critère insertion", "family": "critere-social",
        "kind": "critere-attribution", "document": "RC", "legal_basis": "R2152-7", "version": "1.0",
        "body": "Critère d'insertion.", "obligations": ["social-execution-condition"],
    }), source="utilisateur")
    mandatory = Obligation("social-execution-condition", ObligationStatus.OBLIGATOIRE, "Condition d'exécution sociale",
                           "L2112-2-1", None, "essai")
    assessment = Assessment(Procedure("formalisee", 216_000, "essai"), [mandatory])
    report = suggest_clauses(Dossier(title="Essai"), assessment, [criterion])
    assert report.covering("social-execution-condition") == []
    assert [o.id for o in report.uncovered] == ["social-execution-condition"]
    assert clauses_answering([criterion], "social-execution-condition") == []
