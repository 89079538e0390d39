"""Suggestions: ranking with reasons, coverage of mandatory obligations, pre-filled variables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.clauses import render_clause
from achatsdesk.domain.dossier import Dossier, Lot
from achatsdesk.domain.insertion import InsertionSizing, size_line
from achatsdesk.domain.levers import recommend_lever
from achatsdesk.domain.obligations import Assessment, Obligation, ObligationStatus, Procedure
from achatsdesk.domain.suggestions import clauses_answering, prefill_context, suggest_clauses
from achatsdesk.services.clause_library import shipped_clauses

OBL = ObligationStatus.OBLIGATOIRE


def obligation(oid: str, status=OBL, title="Titre", basis="L2152-7 (version du 25 octobre 2023), R2152-7") -> Obligation:
    return Obligation(oid, status, title, basis, date(2026, 8, 21), "explication")


def assessment(*obligations: Obligation) -> Assessment:
    return Assessment(Procedure("formalisee", 216000, ""), list(obligations))


@pytest.fixture
def cleaning() -> Dossier:
    return Dossier(title="Nettoyage", cpv=["90911200-8"], estimated_amount_eur=1_200_000, duration_months=48,
                   launch_date=date(2026, 12, 1))


def sizing(hours_amount=1_200_000) -> InsertionSizing:
    return InsertionSizing((size_line("Marché entier", hours_amount, Decimal("0.8"), Decimal("0.05"), 30),))


def test_each_mandatory_obligation_is_covered(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(
        obligation("env-execution-condition"), obligation("env-award-criterion"),
        obligation("social-execution-condition"), obligation("lots"), obligation("spaser"),
    ), shipped_clauses(), sizing=sizing())
    for oid in ("env-execution-condition", "env-award-criterion", "social-execution-condition", "lots", "spaser"):
        assert report.covering(oid), oid
    assert report.uncovered == ()


def test_reasons_cite_the_obligation_and_the_cpv(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(
        obligation("labels", title="Labels environnementaux ou sociaux", basis="R2111-12 à R2111-17"),
        obligation("env-execution-condition", title="Condition d'exécution environnementale", basis="L2112-2 modifié par la loi"),
    ), shipped_clauses())
    ecolabel = next(s for s in report.suggestions if s.clause.id == "nettoyage-produits-ecolabellises")
    assert "obligatoire : labels environnementaux ou sociaux, R2111-12" in ecolabel.why
    assert "CPV 909 nettoyage ⇒ produits d'entretien écolabellisés" in ecolabel.why
    # a CCTP specification is no execution condition (L2112-2): it does not claim to cover one
    assert ecolabel.obligation_ids == ("labels",)
    assert "condition d'exécution environnementale" not in ecolabel.why
    # the general label clause is written for supplies (applies_to): a cleaning service gets the sector one only
    ranks = [s.clause.id for s in report.suggestions]
    assert "nettoyage-produits-ecolabellises" in ranks and "labels-equivalence" not in ranks


def test_sector_clauses_of_other_sectors_are_not_suggested(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(obligation("env-execution-condition")), shipped_clauses())
    ids = {s.clause.id for s in report.suggestions}
    assert "travaux-dechets-chantier" not in ids and "restauration-gaspillage" not in ids
    catering = Dossier(title="Repas", cpv=["55524000-9"], launch_date=date(2026, 12, 1))
    ids = {s.clause.id for s in suggest_clauses(catering, assessment(obligation("egalim")), shipped_clauses()).suggestions}
    assert "restauration-egalim" in ids and "nettoyage-produits-ecolabellises" not in ids


def test_lot_cpv_codes_count_too() -> None:
    dossier = Dossier(title="Travaux", lots=[Lot("Peinture", "45442100-8", 100_000), Lot("Ménage", "90911200-8", 50_000)])
    ids = {s.clause.id for s in suggest_clauses(dossier, assessment(), shipped_clauses()).suggestions}
    assert {"travaux-dechets-chantier", "nettoyage-produits-ecolabellises"} <= ids


def test_the_insertion_clause_is_prefilled_with_the_computed_hours(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(obligation("insertion-clause", ObligationStatus.RECOMMANDE)),
                             shipped_clauses(), sizing=sizing())
    insertion = next(s for s in report.suggestions if s.clause.id == "insertion-heures")
    assert insertion.variables["heures"] == 1600 and insertion.variables["duree_mois"] == 48
    assert "1\u202f600\u00a0heures" in render_clause(insertion.clause, insertion.variables)


def test_a_value_out_of_the_variable_bounds_keeps_the_default(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(obligation("lots")), shipped_clauses())
    allotment = next(s for s in report.suggestions if s.clause.id == "allotissement-justification")
    assert allotment.variables["decision"] == "marché global"  # no lots in this dossier
    assert allotment.variables["nombre_lots"] == 2  # 0 lots is below the bound: default kept


def test_an_obligation_no_suggested_clause_answers_is_covered_from_the_library_or_reported() -> None:
    works = Dossier(title="Travaux", cpv=["45000000-7"])
    catering_only = [c for c in shipped_clauses() if c.id == "restauration-egalim"]
    report = suggest_clauses(works, assessment(obligation("egalim")), catering_only)
    assert [s.clause.id for s in report.suggestions] == ["restauration-egalim"]
    assert "seule clause" in report.suggestions[0].why
    empty = suggest_clauses(works, assessment(obligation("egalim")), [])
    assert [o.id for o in empty.uncovered] == ["egalim"]


def test_the_lever_lifts_its_clauses(cleaning) -> None:
    from achatsdesk.domain.dossier import Lot

    lever = recommend_lever(15, None)
    cleaning.lots = [Lot("Collèges de l'est", amount_eur=600_000), Lot("Collèges de l'ouest", amount_eur=600_000)]
    report = suggest_clauses(cleaning, assessment(obligation("reserved-contract", ObligationStatus.A_ENVISAGER)),
                             shipped_clauses(), lever=lever)
    top = report.suggestions[0]
    assert top.clause.id == "reserve-lot-siae-rc" and "offre locale" in top.why


def test_a_reserved_lot_is_never_suggested_for_an_undivided_contract(cleaning) -> None:
    """The RC said "not divided into lots" in art. 2 and "lot n° 1 is reserved" in art. 3."""
    report = suggest_clauses(cleaning, assessment(obligation("reserved-contract", ObligationStatus.A_ENVISAGER)),
                             shipped_clauses(), lever=recommend_lever(15, None))
    assert "reserve-lot-siae-rc" not in [s.clause.id for s in report.suggestions]


def test_clauses_answering_lists_general_clauses_first() -> None:
    found = clauses_answering(shipped_clauses(), "env-execution-condition")
    assert found and not found[0].cpv_prefixes
    assert all("env-execution-condition" in c.obligations for c in found)


def test_prefill_context_reads_the_dossier(cleaning) -> None:
    context = prefill_context(cleaning, sizing(), Decimal("0.2"))
    assert context["insertion_hours"] == 1600 and context["duration_months"] == 48
    assert context["taken_over_percent"] == Decimal(20)


def test_the_amount_prefills_clauses_that_quote_it(cleaning) -> None:
    report = suggest_clauses(cleaning, assessment(obligation("social-execution-condition")), shipped_clauses())
    disability = next(s for s in report.suggestions if s.clause.id == "handicap-recours-ea-esat")
    assert disability.variables["montant"] == Decimal(1_200_000)
    assert "soit environ 60\u202f000\u00a0€\u00a0HT" in render_clause(disability.clause, disability.variables)
