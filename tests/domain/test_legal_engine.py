"""The legal engine of issue 11, on both sides of each edge: procedure by object (SSAS),
small lots and their 20 % cap, a lot without amount, publicity, contract kinds (framework
agreement, defence, concession), AGEC for groupements and included supplies, reservations,
the 21/22 August wording, and rules that stay data."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.checklist import (
    ItemState,
    ItemStatus,
    build_checklist,
    justification_problem,
    load_checklist,
)
from achatsdesk.domain.dossier import Buyer, BuyerKind, ContractKind, Dossier, Lot, Nature
from achatsdesk.domain.obligations import ObligationStatus
from achatsdesk.domain.rules import evaluate, load_rules, load_thresholds_from
from achatsdesk.errors import ReferenceDataError
from achatsdesk.paths import resources_dir

RULES_DIR = resources_dir() / "rules"
RULES = load_rules(RULES_DIR)
THRESHOLDS = load_thresholds_from(RULES_DIR)
CHECKLIST = load_checklist(RULES_DIR)
LAUNCH = date(2026, 12, 1)


def make(amount=0, *, kind=BuyerKind.COLLECTIVITE, nature=Nature.SERVICES, cpv=("79000000-4",), lots=(),
         contract=ContractKind.MARCHE, launch=LAUNCH, annual=None, **extra):
    return Dossier(title="Essai (fictif)", buyer=Buyer("Acheteur fictif", kind, annual), nature=nature, cpv=list(cpv),
                   estimated_amount_eur=amount, launch_date=launch, lots=list(lots), contract_kind=contract, **extra)


def assess(dossier):
    return evaluate(dossier, RULES, THRESHOLDS)


def status(dossier, obligation_id):
    obligation = assess(dossier).by_id(obligation_id)
    return obligation.status if obligation else None


# --- procedure by object -------------------------------------------------------------------
def test_school_catering_at_800k_is_adapted_whatever_the_amount():
    catering = assess(make(800_000, cpv=["55524000-9"])).procedure
    ordinary = assess(make(800_000, cpv=["79000000-4"])).procedure
    assert (catering.id, ordinary.id) == ("mapa", "formalisee")
    assert "R2123-1 3°" in catering.explanation and "à vérifier" in catering.explanation and catering.to_confirm
    assert catering.basis == "ssas" and ordinary.basis == "montant"
    # above the directive's threshold for these services: an EU notice, marked à vérifier
    assert catering.publicity.id == "joue_boamp" and catering.publicity.to_confirm


def test_social_services_at_400k_are_adapted_with_a_national_notice():
    social = assess(make(400_000, cpv=["85311000-2"])).procedure
    assert social.id == "mapa" and social.publicity.id == "boamp_jal"
    assert assess(make(400_000, cpv=["85311000-2"], nature=Nature.FOURNITURES)).procedure.id == "formalisee"


def test_ssas_social_condition_is_flagged_to_check():
    obligation = assess(make(800_000, cpv=["55524000-9"])).by_id("social-execution-condition")
    assert obligation.status == ObligationStatus.OBLIGATOIRE and obligation.to_confirm
    assert "à vérifier" in obligation.explanation


# --- small lots ------------------------------------------------------------------------------
def lots_of(*amounts, choices=None):
    choices = choices or [None] * len(amounts)
    return [Lot(f"Lot {i}", None, amount, choice) for i, (amount, choice) in enumerate(zip(amounts, choices, strict=True), start=1)]


def test_small_lot_at_79_999_but_not_at_80_000():
    below = assess(make(lots=lots_of(79_999, 420_001))).details
    at = assess(make(lots=lots_of(80_000, 420_000))).details
    assert below.whole.id == at.whole.id == "formalisee"
    assert (below.lots[0].procedure.id, below.lots[0].small_lot) == ("mapa", True)
    assert below.small_lots.proposal and "proposé par achatsdesk" in below.lots[0].procedure.explanation
    assert (at.lots[0].procedure.id, at.lots[0].small_lot, at.lots[0].eligible) == ("formalisee", False, None)


def test_works_small_lot_at_999_999_but_not_at_1_000_000():
    below = assess(make(nature=Nature.TRAVAUX, cpv=["45000000-7"], lots=lots_of(999_999, 4_500_001))).details
    at = assess(make(nature=Nature.TRAVAUX, cpv=["45000000-7"], lots=lots_of(1_000_000, 4_500_000))).details
    assert below.lots[0].procedure.id == "mapa" and at.lots[0].procedure.id == "formalisee"


def test_buyers_choice_exactly_at_the_20_percent_cap_is_accepted():
    # 79 999 (adapted) + 20 001 (under the 60 000 € dispense amount) = 100 000 = 20 % of 500 000
    details = assess(make(lots=lots_of(79_999, 80_000, 20_001, 320_000, choices=[True, False, True, False]))).details
    assert details.small_lots.cap_eur == Decimal(100_000) and details.small_lots.used_eur == Decimal(100_000)
    assert details.small_lots.within_cap and not details.small_lots.proposal
    assert [lot.procedure.id for lot in details.lots] == ["mapa", "formalisee", "dispense", "formalisee"]
    assert "choisi par l'acheteur" in details.lots[0].procedure.explanation


def test_buyers_choice_one_euro_over_the_cap_is_refused():
    details = assess(make(lots=lots_of(79_999, 80_000, 20_002, 319_999, choices=[True, False, True, False]))).details
    assert details.small_lots.used_eur == Decimal(100_001) and not details.small_lots.within_cap
    assert [lot.procedure.id for lot in details.lots] == ["formalisee"] * 4
    assert "au-delà de 20 %" in details.small_lots.explanation
    assert "refusé" in details.lots[0].procedure.explanation


def test_proposal_takes_the_smallest_eligible_lots_first_within_the_cap():
    # cap 20 % of 500 000 = 100 000: 30 000 and 60 000 fit, 70 000 would not
    details = assess(make(lots=lots_of(70_000, 30_000, 60_000, 340_000))).details
    assert [lot.small_lot for lot in details.lots] == [False, True, True, False]
    assert details.small_lots.proposal and "Proposition d'achatsdesk" in details.small_lots.explanation


def test_small_lots_change_nothing_below_the_eu_threshold_except_dispense_lots():
    details = assess(make(lots=lots_of(150_000, 30_000))).details  # 180 000 €: adapted whole, cap 36 000 €
    assert details.whole.id == "mapa"
    assert [lot.procedure.id for lot in details.lots] == ["mapa", "dispense"]


def test_a_lot_without_amount_is_to_be_filled_in_not_zero():
    details = assess(make(lots=[Lot("Nettoyage", None, 100_000), Lot("Vitrerie")])).details
    assert details.whole.id == "a_renseigner" and "lot n° 2 « Vitrerie »" in details.whole.explanation
    assert details.lots[1].procedure.id == "a_renseigner" and details.lots[1].amount_eur is None
    assert details.lots[0].procedure.id == "a_renseigner"  # it follows a whole that cannot be concluded
    # known lots already at the EU threshold: formalised whatever the missing one
    known = assess(make(lots=[Lot("A", None, 300_000), Lot("B")])).details
    assert known.whole.id == "formalisee" and "au moins" in known.whole.explanation


# --- publicity -------------------------------------------------------------------------------
def test_publicity_free_below_90k_boamp_or_jal_from_90k():
    assert assess(make(89_999)).procedure.publicity.id == "libre"
    assert assess(make(90_000)).procedure.publicity.id == "boamp_jal"
    works = assess(make(100_000, nature=Nature.TRAVAUX, cpv=["45000000-7"])).procedure
    assert works.id == "mapa" and works.publicity.id == "boamp_jal" and "travaux" in works.publicity.explanation
    assert assess(make(216_000)).procedure.publicity.id == "joue_boamp"


def test_documents_online_from_60k_from_1_april_2026():
    assert assess(make(60_000, launch=date(2026, 4, 1))).procedure.publicity.documents_online
    assert not assess(make(59_999, launch=date(2026, 4, 1))).procedure.publicity.documents_online
    assert assess(make(40_000, launch=date(2026, 3, 31))).procedure.publicity.documents_online


def test_negotiation_only_in_the_cases_of_r2124_3_free_for_an_entite_adjudicatrice():
    authority = assess(make(300_000)).procedure.explanation
    utility = assess(make(500_000, kind=BuyerKind.ENTITE_ADJUDICATRICE)).procedure.explanation
    assert "R2124-3" in authority and "ne sont ouverts que dans les cas" in authority
    assert "au choix de l'entité adjudicatrice" in utility


# --- contract kinds --------------------------------------------------------------------------
def test_framework_agreement_counts_its_maximum():
    framework = make(100_000, contract=ContractKind.ACCORD_CADRE, framework_max_eur=300_000)
    assessment = assess(framework)
    assert assessment.procedure.id == "formalisee" and "maximum" in assessment.procedure.explanation
    assert assess(make(100_000, contract=ContractKind.ACCORD_CADRE)).details.estimation.warnings  # no maximum given


def test_defence_contract_has_its_thresholds_and_no_mandatory_condition():
    defence = make(432_000, kind=BuyerKind.ETAT, contract=ContractKind.DEFENSE_SECURITE)
    assert assess(defence).procedure.id == "formalisee"
    assert assess(make(431_999, kind=BuyerKind.ETAT, contract=ContractKind.DEFENSE_SECURITE)).procedure.id == "mapa"
    assert status(defence, "env-execution-condition") == ObligationStatus.A_ENVISAGER
    assert status(defence, "social-execution-condition") == ObligationStatus.INFORMATION
    award = assess(defence).by_id("env-award-criterion")
    assert award.to_confirm and "à vérifier" in award.explanation
    assert "L2312-1-1" in assess(defence).by_id("env-execution-condition").explanation


def test_concession_is_not_judged():
    assessment = assess(make(10_000_000, contract=ContractKind.CONCESSION))
    assert not assessment.judged and assessment.obligations == []
    assert "ne juge pas les concessions" in assessment.scope_reason


def test_old_files_with_the_defence_buyer_kind_read_as_a_defence_contract():
    dossier = Dossier.from_dict({"title": "Ancien (fictif)", "buyer": {"kind": "defense_securite"}})
    assert (dossier.contract_kind, dossier.buyer.kind) == (ContractKind.DEFENSE_SECURITE, BuyerKind.ETAT)
    assert Dossier.from_dict(dossier.to_dict()) == dossier


# --- corrected rules -------------------------------------------------------------------------
def test_agec_for_a_groupement_buying_laptops():
    laptops = make(nature=Nature.FOURNITURES, cpv=["30213100-6"], kind=BuyerKind.GROUPEMENT_COLLECTIVITES)
    obligation = assess(laptops).by_id("agec-reuse-recycled")
    assert obligation.status == ObligationStatus.RECOMMANDE
    assert "30 juin" in obligation.explanation and "défense nationale" in obligation.explanation


def test_agec_for_works_with_included_furniture():
    works = make(2_000_000, nature=Nature.TRAVAUX, cpv=["45214200-2"])
    assert status(works, "agec-reuse-recycled") is None
    works.agec_included_supplies = ["mobilier-interieur"]
    obligation = assess(works).by_id("agec-reuse-recycled")
    assert obligation.status == ObligationStatus.RECOMMANDE and "fournitures comprises" in obligation.explanation


def test_environmental_condition_wording_21_and_22_august():
    obligation = assess(make(100_000, launch=date(2026, 8, 21))).by_id("env-execution-condition")
    assert "22 août 2026" in obligation.explanation and "par précaution" in obligation.explanation
    assert "les deux lectures" not in obligation.explanation


def test_ess_reservation_only_for_pouvoirs_adjudicateurs_and_art77_services():
    social = assess(make(cpv=["85311000-2"])).by_id("reserved-contract").explanation
    utility = assess(make(cpv=["85311000-2"], kind=BuyerKind.ENTITE_ADJUDICATRICE)).by_id("reserved-contract").explanation
    cleaning = assess(make(cpv=["90911200-8"])).by_id("reserved-contract").explanation
    assert "L2113-15" in social and "3 ans" in social and "gouvernance participative" in social
    assert "n'est ouverte qu'aux pouvoirs adjudicateurs" in utility
    assert "pouvant être réservé aux entreprises de l'ESS" not in cleaning and "L2113-15" not in cleaning
    assert "L2113-13-1" in cleaning and "mentionne la réservation" in cleaning


def test_prison_work_is_not_offered_for_works():
    works = assess(make(nature=Nature.TRAVAUX, cpv=["45000000-7"])).by_id("reserved-contract").explanation
    assert "L2113-13-1" not in works


# --- justifications ---------------------------------------------------------------------------
def items_of(dossier):
    return {i.id: i for s in build_checklist(CHECKLIST, assess(dossier), dossier.items) for i in s.items}


def test_not_dividing_into_lots_needs_a_justification_before_done():
    item = items_of(make(300_000))["lots-decision"]
    assert item.justification_required
    bare = ItemState(ItemStatus.FAIT)
    assert "L2113-11" in justification_problem(item, bare, CHECKLIST)
    assert justification_problem(item, ItemState(ItemStatus.FAIT, "Prestations indissociables"), CHECKLIST) is None
    dossier = make(300_000)
    dossier.items["lots-decision"] = bare
    assert not items_of(dossier)["lots-decision"].done
    assert not items_of(make(300_000, lots=lots_of(150_000, 150_000)))["lots-decision"].justification_required


def test_negotiation_and_dispense_items():
    formalised = items_of(make(300_000))
    assert formalised["besoin-negociation"].justification_required
    assert "besoin-negociation" not in items_of(make(100_000))
    assert items_of(make(30_000))["besoin-procedure"].justification_required


# --- rules stay data --------------------------------------------------------------------------
def copy_rules(tmp_path):
    target = tmp_path / "resources"
    shutil.copytree(RULES_DIR, target / "rules")
    shutil.copytree(resources_dir() / "data", target / "data", ignore=shutil.ignore_patterns("catalogue*", "communes*"))
    return target / "rules"


def test_unknown_fact_is_a_french_load_error(tmp_path):
    folder = copy_rules(tmp_path)
    data = json.loads((folder / "obligations.json").read_text(encoding="utf-8"))
    data["rules"][1]["cases"][0]["when"] = {"fact": "montant_magique", "gte": 1}
    (folder / "obligations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="fait « montant_magique » inconnu"):
        load_rules(folder)


def test_rules_schema_version_is_checked(tmp_path):
    folder = copy_rules(tmp_path)
    data = json.loads((folder / "obligations.json").read_text(encoding="utf-8"))
    data["schema_version"] = 2
    (folder / "obligations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="format 2"):
        load_rules(folder)


def test_every_new_threshold_carries_its_source_and_reference():
    kinds = {t.kind for t in THRESHOLDS.thresholds}
    assert {"small_lot", "small_lots_cap_percent", "documents_online", "publicity", "ssas_eu_notice"} <= kinds
    assert RULES.ssas.source.startswith("Directive 2014/24/UE") and RULES.ssas.to_confirm
    assert len(RULES.art77) == 115


def test_choosing_a_small_lot_over_the_cap_is_refused_in_french():
    from achatsdesk.domain.procedure import small_lot_choice

    dossier = make(lots=lots_of(79_999, 80_000, 20_002, 319_999))  # cap 100 000 €
    details = assess(dossier).details
    assert [lot.small_lot for lot in details.lots] == [False, False, True, False]  # the proposal: smallest first
    choices, problem = small_lot_choice(dossier, details, 0, True)
    assert problem.startswith("Petit lot refusé") and "100\u202f001" in problem
    assert choices == [False, False, True, False]  # unchanged
    choices, problem = small_lot_choice(dossier, details, 2, False)
    assert problem is None and choices == [False, False, False, False]
    for lot, choice in zip(dossier.lots, choices, strict=True):
        lot.small_lot = choice
    choices, problem = small_lot_choice(dossier, assess(dossier).details, 0, True)
    assert problem is None and choices == [True, False, False, False]
    _, problem = small_lot_choice(dossier, details, 1, True)
    assert "ne peut pas être un petit lot" in problem


@pytest.mark.parametrize("name", ["thresholds.json", "checklist.json", "ssas_cpv.json"])
def test_every_rules_file_checks_its_schema_version(tmp_path, name):
    folder = copy_rules(tmp_path)
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    data["schema_version"] = 7
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=f"« {name} » est au format 7"):
        load_rules(folder)
        load_thresholds_from(folder)
        load_checklist(folder)
