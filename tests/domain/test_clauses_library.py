"""The shipped clause library: every file is complete, typed, and renders with its defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jinja2 import nodes

from achatsdesk.domain.clauses import (
    DOCUMENTS,
    EFORMS_BT06,
    FAMILY_LABELS,
    KIND_LABELS,
    VARIABLE_TYPES,
    make_environment,
    render_clause,
    validate_clause,
)
from achatsdesk.domain.obligations import OBLIGATION_IDS
from achatsdesk.paths import resources_dir
from achatsdesk.services.clause_format import clause_from_dict

CLAUSE_FILES = sorted((resources_dir() / "clauses").glob("*.json"))


def _load(path: Path):
    return clause_from_dict(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_library_holds_at_least_45_distinct_clauses() -> None:
    ids = [_load(p).id for p in CLAUSE_FILES]
    assert len(ids) >= 45
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_each_clause_is_complete_and_renders_with_its_defaults(path: Path) -> None:
    clause = _load(path)
    assert clause.id == path.stem
    assert clause.legal_basis and clause.document in DOCUMENTS
    assert clause.kind in KIND_LABELS and clause.family in FAMILY_LABELS
    assert clause.version and clause.title and clause.summary
    assert clause.eforms.get("BT-06") in EFORMS_BT06
    assert isinstance(clause.eforms.get("BT-774"), list) and isinstance(clause.eforms.get("BT-775"), list)
    assert all(o in OBLIGATION_IDS for o in clause.obligations)
    for variable in clause.variables:
        assert variable.type in VARIABLE_TYPES and variable.label
    validate_clause(clause)
    text = render_clause(clause)
    assert len(text) > 80
    assert "{{" not in text and "{%" not in text
    assert "None" not in text


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: p.stem)
def test_money_and_percent_variables_are_printed_through_their_filter(path: Path) -> None:
    """A percent variable printed bare would read "plafonné à 5 du montant"."""
    clause = _load(path)
    typed = {v.name for v in clause.variables if v.type in ("money", "percent")}
    tree = make_environment().parse(clause.body)
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.Name):
                assert node.name not in typed, f"{clause.id}: « {node.name} » printed without its filter"


def test_every_family_of_the_issue_is_covered() -> None:
    clauses = [_load(p) for p in CLAUSE_FILES]
    families = {c.family for c in clauses}
    assert {"condition-sociale", "critere-social", "reservation", "specification-environnementale",
            "critere-environnemental", "condition-environnementale", "sectorielle"} <= families
    ids = {c.id for c in clauses}
    # a few named in the issue: GEIQ, penalties, pooled hours, staff taken over, EGalim, mandatory env ones
    for needed in ("insertion-geiq-alternance", "insertion-penalites", "insertion-mutualisation",
                   "nettoyage-reprise-personnel", "restauration-egalim", "condition-environnementale",
                   "critere-environnemental", "critere-cout-cycle-vie", "reserve-ess-services", "reserve-ea-esat-siae"):
        assert needed in ids
    sector_labels = {c.sector_label for c in clauses if c.cpv_prefixes}
    for sector in ("travaux", "nettoyage", "informatique", "mobilier", "véhicules", "textiles", "espaces verts",
                   "impression et papier", "éclairage"):
        assert sector in sector_labels


def test_every_obligation_but_the_procedure_has_a_clause() -> None:
    answered = {o for p in CLAUSE_FILES for o in _load(p).obligations}
    assert set(OBLIGATION_IDS) - answered == {"procedure"}


def test_facts_to_confirm_are_marked_a_verifier() -> None:
    clauses = [_load(p) for p in CLAUSE_FILES]
    flagged = {c.id: c.to_confirm for c in clauses if c.to_confirm}
    # domain.md marks these "to confirm": the L2112-2-1 exemptions, life-cycle cost article, AGEC shares
    for clause_id in ("clause-sociale-generale-services", "critere-cout-cycle-vie", "agec-reemploi-recycle"):
        assert clause_id in flagged
    assert all("à vérifier" in note for notes in flagged.values() for note in notes)


def test_paragraphs_stay_apart_after_a_condition() -> None:
    clause = _load(resources_dir() / "clauses" / "travaux-materiaux-reemploi.json")
    assert "adaptés.\n\nIl remet" in render_clause(clause)
    assert "biosourcés" not in render_clause(clause, {"biosources": "non"}).split("\n\n")[1]


def test_staff_taken_over_wording_follows_its_share() -> None:
    clause = _load(resources_dir() / "clauses" / "nettoyage-reprise-personnel.json")
    assert "estimé" not in render_clause(clause)
    assert "estimé à 25\u00a0% de la main-d'œuvre" in render_clause(clause, {"part_reprise": 25})
