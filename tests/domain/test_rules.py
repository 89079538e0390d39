"""Obligation rules on both sides of every threshold and date, for each buyer kind."""

from __future__ import annotations

from datetime import date

import pytest

from achatsdesk.domain.dossier import Buyer, BuyerKind, ContractKind, Dossier, Lot, Nature
from achatsdesk.domain.formatting import format_money
from achatsdesk.domain.obligations import OBLIGATION_IDS, ObligationStatus
from achatsdesk.domain.rules import evaluate, load_rules, load_thresholds_from
from achatsdesk.paths import resources_dir

RULES_DIR = resources_dir() / "rules"
RULES = load_rules(RULES_DIR)
THRESHOLDS = load_thresholds_from(RULES_DIR)

EU_2026 = {
    BuyerKind.ETAT: 140_000,
    BuyerKind.COLLECTIVITE: 216_000,
    BuyerKind.GROUPEMENT_COLLECTIVITES: 216_000,
    BuyerKind.ETABLISSEMENT_PUBLIC: 216_000,
    BuyerKind.ENTITE_ADJUDICATRICE: 432_000,
}
EU_2024 = {
    BuyerKind.ETAT: 143_000,
    BuyerKind.COLLECTIVITE: 221_000,
    BuyerKind.GROUPEMENT_COLLECTIVITES: 221_000,
    BuyerKind.ETABLISSEMENT_PUBLIC: 221_000,
    BuyerKind.ENTITE_ADJUDICATRICE: 443_000,
}
ENV_DAY = date(2026, 8, 21)
ENV_DAY_BEFORE = date(2026, 8, 20)


def make(amount=100_000, *, kind=BuyerKind.COLLECTIVITE, nature=Nature.SERVICES, launch=date(2026, 12, 1),
         cpv=("79000000-4",), annual=None, lots=()):
    return Dossier(title="Essai (fictif)", buyer=Buyer("Acheteur fictif", kind, annual), nature=nature, cpv=list(cpv),
                   estimated_amount_eur=amount, launch_date=launch, lots=list(lots))


def assess(dossier):
    return evaluate(dossier, RULES, THRESHOLDS)


def status(dossier, obligation_id):
    obligation = assess(dossier).by_id(obligation_id)
    return obligation.status if obligation else None


# --- procedure and EU thresholds ---------------------------------------------------
@pytest.mark.parametrize("kind", list(BuyerKind))
@pytest.mark.parametrize("nature", [Nature.SERVICES, Nature.FOURNITURES])
def test_eu_threshold_2026_supplies_services_each_buyer_kind(kind, nature):
    threshold = EU_2026[kind]
    at = assess(make(threshold, kind=kind, nature=nature, launch=date(2026, 6, 1))).procedure
    below = assess(make(threshold - 1, kind=kind, nature=nature, launch=date(2026, 6, 1))).procedure
    assert (at.id, at.threshold_eur) == ("formalisee", threshold)
    assert (below.id, below.threshold_eur) == ("mapa", threshold)
    assert format_money(threshold) in at.explanation and "≥" in at.explanation


@pytest.mark.parametrize("kind", list(BuyerKind))
def test_eu_threshold_2024_2025_each_buyer_kind(kind):
    threshold = EU_2024[kind]
    assert assess(make(threshold, kind=kind, launch=date(2025, 6, 1))).procedure.id == "formalisee"
    assert assess(make(threshold - 1, kind=kind, launch=date(2025, 6, 1))).procedure.id == "mapa"


@pytest.mark.parametrize("kind", list(BuyerKind))
def test_works_threshold_both_periods(kind):
    for launch, threshold in ((date(2025, 12, 31), 5_538_000), (date(2026, 1, 1), 5_404_000)):
        assert assess(make(threshold, kind=kind, nature=Nature.TRAVAUX, launch=launch)).procedure.id == "formalisee"
        assert assess(make(threshold - 1, kind=kind, nature=Nature.TRAVAUX, launch=launch)).procedure.id == "mapa"


def test_threshold_period_changes_on_1_january_2026():
    dossier_2025 = make(216_000, launch=date(2025, 12, 31))
    dossier_2026 = make(216_000, launch=date(2026, 1, 1))
    assert assess(dossier_2025).procedure.id == "mapa"  # 221 000 still in force
    assert assess(dossier_2026).procedure.id == "formalisee"


@pytest.mark.parametrize("kind", list(BuyerKind))
@pytest.mark.parametrize("nature", [Nature.SERVICES, Nature.FOURNITURES])
def test_dispense_threshold_moves_from_40k_to_60k_on_1_april_2026(nature, kind):
    def procedure(amount, launch):
        return assess(make(amount, kind=kind, nature=nature, launch=launch)).procedure

    march_31, april_1 = date(2026, 3, 31), date(2026, 4, 1)
    assert procedure(39_999, march_31).id == "dispense"
    assert procedure(40_000, march_31).id == "mapa"
    assert procedure(50_000, march_31).id == "mapa"
    assert procedure(50_000, april_1).id == "dispense"
    assert procedure(59_999, april_1).id == "dispense"
    assert procedure(60_000, april_1).id == "mapa"
    assert procedure(59_999, april_1).threshold_eur == 60_000


def test_works_dispense_threshold_100k():
    assert assess(make(99_999, nature=Nature.TRAVAUX, launch=date(2026, 4, 1))).procedure.id == "dispense"
    assert assess(make(100_000, nature=Nature.TRAVAUX, launch=date(2026, 4, 1))).procedure.id == "mapa"


def test_amount_is_the_sum_of_the_lots():
    lots = [Lot("Lot 1", None, 100_000), Lot("Lot 2", None, 116_000)]
    dossier = make(1, lots=lots, launch=date(2026, 6, 1))
    assert assess(dossier).procedure.id == "formalisee"
    assert status(dossier, "lots") == ObligationStatus.INFORMATION


def test_missing_launch_date_says_which_date_was_used():
    dossier = make(300_000, launch=None)
    obligation = evaluate(dossier, RULES, THRESHOLDS, today=date(2026, 8, 21)).by_id("env-execution-condition")
    assert obligation.status == ObligationStatus.OBLIGATOIRE
    assert "date de lancement non renseignée" in obligation.explanation


def test_date_outside_known_periods_is_flagged_to_check():
    procedure = assess(make(300_000, launch=date(2029, 1, 1))).procedure
    assert procedure.id == "formalisee"
    assert "à vérifier" in procedure.explanation


# --- environmental obligations: 20 / 21 Aug 2026 -----------------------------------
@pytest.mark.parametrize("kind", list(BuyerKind))
@pytest.mark.parametrize("rule", ["env-execution-condition", "env-award-criterion"])
def test_environmental_rules_switch_on_21_august_2026(kind, rule):
    # 100 000 € of services: above the no-competition exemption, so award criteria exist
    before = assess(make(100_000, kind=kind, launch=ENV_DAY_BEFORE)).by_id(rule)
    on = assess(make(100_000, kind=kind, launch=ENV_DAY)).by_id(rule)
    assert before.status == ObligationStatus.RECOMMANDE
    assert "21 août 2026" in before.explanation and before.applies_until == ENV_DAY_BEFORE
    assert on.status == ObligationStatus.OBLIGATOIRE and on.applies_from == ENV_DAY


# --- social condition: threshold x date x buyer kind -------------------------------
@pytest.mark.parametrize("kind", list(BuyerKind))
def test_social_condition_each_side_of_threshold_and_date(kind):
    threshold = EU_2026[kind]
    assert status(make(threshold, kind=kind, launch=ENV_DAY), "social-execution-condition") == ObligationStatus.OBLIGATOIRE
    assert status(make(threshold - 1, kind=kind, launch=ENV_DAY), "social-execution-condition") == ObligationStatus.A_ENVISAGER
    assert status(make(threshold, kind=kind, launch=ENV_DAY_BEFORE), "social-execution-condition") == ObligationStatus.RECOMMANDE


def test_social_condition_not_mandatory_for_defence():
    # Defence and security is a kind of contract now (domain.md), no longer a kind of buyer.
    defence = make(10_000_000, kind=BuyerKind.ETAT, launch=ENV_DAY)
    defence.contract_kind = ContractKind.DEFENSE_SECURITE
    obligation = assess(defence).by_id("social-execution-condition")
    assert obligation.status == ObligationStatus.INFORMATION
    assert "défense" in obligation.explanation


def test_social_explanation_uses_the_dossiers_values():
    obligation = assess(make(1_200_000, launch=date(2026, 12, 1))).by_id("social-execution-condition")
    assert f"{format_money(1_200_000)} ≥ seuil européen de {format_money(216_000)} applicable à une collectivité pour des services" in obligation.explanation
    assert "1er décembre 2026" in obligation.explanation


# --- sector rules ---------------------------------------------------------------------
def test_insertion_clause_for_labour_intensive_purchases():
    assert status(make(cpv=["90911200-8"]), "insertion-clause") == ObligationStatus.RECOMMANDE
    assert status(make(nature=Nature.TRAVAUX, cpv=["45000000-7"]), "insertion-clause") == ObligationStatus.RECOMMANDE
    assert status(make(nature=Nature.FOURNITURES, cpv=["30200000-1"]), "insertion-clause") is None
    assert assess(make(cpv=["90911200-8"])).by_id("insertion-clause").to_confirm


@pytest.mark.parametrize("kind", list(BuyerKind))
def test_agec_only_for_state_and_local_authorities(kind):
    furniture = make(nature=Nature.FOURNITURES, cpv=["39100000-3"], kind=kind)
    # Groupements of collectivités are bound too (domain.md, "Corrections to the levers above").
    bound = (BuyerKind.ETAT, BuyerKind.COLLECTIVITE, BuyerKind.GROUPEMENT_COLLECTIVITES)
    expected = ObligationStatus.RECOMMANDE if kind in bound else None
    assert status(furniture, "agec-reuse-recycled") == expected


def test_agec_dates_and_categories():
    assert status(make(nature=Nature.FOURNITURES, cpv=["39100000-3"], launch=date(2024, 6, 30)), "agec-reuse-recycled") is None
    assert status(make(nature=Nature.FOURNITURES, cpv=["39100000-3"], launch=date(2024, 7, 1)), "agec-reuse-recycled") is not None
    assert status(make(nature=Nature.FOURNITURES, cpv=["18143000-3"]), "agec-reuse-recycled") is None  # PPE excluded
    textiles = assess(make(nature=Nature.FOURNITURES, cpv=["18100000-0"])).by_id("agec-reuse-recycled")
    assert "textiles" in textiles.explanation and textiles.to_confirm


def test_egalim_for_catering():
    assert status(make(cpv=["55520000-1"]), "egalim") == ObligationStatus.OBLIGATOIRE
    assert status(make(nature=Nature.FOURNITURES, cpv=["15000000-8"]), "egalim") == ObligationStatus.OBLIGATOIRE
    assert status(make(cpv=["90911200-8"]), "egalim") is None


def test_spaser_strictly_above_50_million_yearly_purchases():
    # L2111-3 says "supérieur à": exactly 50 M€ is not enough (the former assertion said it was).
    assert status(make(annual=50_000_001), "spaser") == ObligationStatus.OBLIGATOIRE
    assert status(make(annual=50_000_000), "spaser") is None
    assert status(make(annual=49_999_999), "spaser") is None
    assert status(make(annual=None), "spaser") is None


def test_reserved_contract_mentions_ess_for_social_services():
    social = assess(make(cpv=["85000000-9"])).by_id("reserved-contract")
    other = assess(make(cpv=["79000000-4"])).by_id("reserved-contract")
    assert "L2113-15" in social.explanation and "L2113-15" not in other.explanation
    assert social.status == ObligationStatus.A_ENVISAGER


def test_lots_rule():
    assert status(make(100_000, launch=ENV_DAY), "lots") == ObligationStatus.OBLIGATOIRE
    assert status(make(1_000, launch=ENV_DAY), "lots") == ObligationStatus.RECOMMANDE


def test_every_obligation_has_a_known_id_title_and_legal_basis():
    obligations = assess(make(1_200_000, cpv=["55520000-1", "39100000-3"], annual=60_000_000)).obligations
    assert {o.id for o in obligations} == set(OBLIGATION_IDS)
    for o in obligations:
        assert o.title and o.legal_basis and "{" not in o.explanation


def test_every_threshold_has_source_and_dates():
    for t in THRESHOLDS.thresholds:
        assert t.source
        assert t.valid_from is not None or t.to_confirm


@pytest.mark.parametrize("launch", [ENV_DAY_BEFORE, ENV_DAY])
def test_no_award_criterion_required_without_competition(launch):
    """A works purchase under the 100 000 € exemption has no competition, hence no award criteria (R2152-7)."""
    assessment = evaluate(make(99_999, nature=Nature.TRAVAUX, launch=launch), RULES, THRESHOLDS)
    assert assessment.procedure.id == "dispense"
    award = assessment.by_id("env-award-criterion")
    assert award.status == ObligationStatus.INFORMATION
    assert "sans publicité ni mise en concurrence" in award.explanation and "R2152-7" in award.explanation
    # one euro more: competition, the criterion is mandatory again from 21 Aug 2026
    above = evaluate(make(100_000, nature=Nature.TRAVAUX, launch=launch), RULES, THRESHOLDS).by_id("env-award-criterion")
    assert above.status == (ObligationStatus.OBLIGATOIRE if launch == ENV_DAY else ObligationStatus.RECOMMANDE)
