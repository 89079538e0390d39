"""Checklist: steps, items from obligations, progress, the justification rule."""

from __future__ import annotations

from datetime import date

import pytest

from achatsdesk.domain.checklist import (
    STEP_IDS,
    ItemState,
    ItemStatus,
    build_checklist,
    justification_problem,
    load_checklist,
    remaining,
    validate_state,
)
from achatsdesk.domain.dossier import Buyer, BuyerKind, Dossier, Nature
from achatsdesk.domain.rules import evaluate, load_rules, load_thresholds_from
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir

DIR = resources_dir() / "rules"
TEMPLATE = load_checklist(DIR)
RULES, THRESHOLDS = load_rules(DIR), load_thresholds_from(DIR)
TITLES = ["Besoin et sourcing", "Allotissement", "Considérations sociales", "Considérations environnementales",
          "Critères d'attribution", "Conditions d'exécution", "Relecture"]


def steps_for(amount, launch=date(2026, 12, 1), states=None):
    dossier = Dossier("Essai (fictif)", Buyer("Acheteur fictif", BuyerKind.COLLECTIVITE), Nature.SERVICES,
                      ["90911200-8"], amount, launch_date=launch)
    return build_checklist(TEMPLATE, evaluate(dossier, RULES, THRESHOLDS), states or {})


def item(steps, item_id):
    return next(i for s in steps for i in s.items if i.id == item_id)


def test_steps_ids_and_titles():
    steps = steps_for(1_200_000)
    assert [s.id for s in steps] == list(STEP_IDS)
    assert [s.title for s in steps] == TITLES


def test_item_ids_are_unique_and_linked_to_known_obligations():
    ids = [i.id for i in TEMPLATE.items]
    assert len(ids) == len(set(ids))
    from achatsdesk.domain.obligations import OBLIGATION_IDS

    assert all(i.obligation_id in OBLIGATION_IDS for i in TEMPLATE.items if i.obligation_id)


def test_mandatory_follows_the_obligation():
    above, below = steps_for(1_200_000), steps_for(100_000)
    assert item(above, "social-condition").mandatory
    assert not item(below, "social-condition").mandatory
    assert item(steps_for(100_000, launch=date(2026, 8, 21)), "env-condition").mandatory
    assert not item(steps_for(100_000, launch=date(2026, 8, 20)), "env-condition").mandatory


def test_items_of_absent_obligations_are_hidden():
    steps = steps_for(1_200_000)
    ids = {i.id for s in steps for i in s.items}
    assert "env-egalim" not in ids  # cleaning is not catering
    assert "social-insertion" in ids


def test_progress_per_step():
    states = {"social-condition": ItemState(ItemStatus.FAIT),
              "social-insertion": ItemState(ItemStatus.SANS_OBJET, "Aucune heure possible")}
    social = next(s for s in steps_for(1_200_000, states=states) if s.id == "social")
    done, total = social.progress
    assert (done, total) == (2, len(social.items)) and total >= 3
    assert social.label == f"Considérations sociales 2/{total}"
    assert all(i.id not in states for i in remaining(steps_for(1_200_000, states=states)))


def test_sans_objet_on_mandatory_item_needs_justification():
    steps = steps_for(1_200_000)
    env = item(steps, "env-condition")
    with pytest.raises(ValidationError, match="justification"):
        validate_state(env, ItemState(ItemStatus.SANS_OBJET, ""), TEMPLATE)
    validate_state(env, ItemState(ItemStatus.SANS_OBJET, "Marché de prestations intellectuelles sans impact"), TEMPLATE)
    # a non-mandatory item may be "sans objet" without a reason
    assert justification_problem(item(steps, "criteres-social"), ItemState(ItemStatus.SANS_OBJET), TEMPLATE) is None


def test_social_exemption_must_be_one_of_the_law_cases():
    social = item(steps_for(1_200_000), "social-condition")
    reason = "Le marché est exécuté par un seul agent spécialisé"
    with pytest.raises(ValidationError, match="cas de dispense"):
        validate_state(social, ItemState(ItemStatus.SANS_OBJET, reason), TEMPLATE)
    with pytest.raises(ValidationError, match="cas de dispense"):
        validate_state(social, ItemState(ItemStatus.SANS_OBJET, reason, "invented"), TEMPLATE)
    validate_state(social, ItemState(ItemStatus.SANS_OBJET, reason, TEMPLATE.exemptions[0].id), TEMPLATE)


def test_exemption_cases_are_marked_to_check():
    assert len(TEMPLATE.exemptions) >= 3
    assert all(c.to_confirm for c in TEMPLATE.exemptions)
