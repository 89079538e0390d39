"""Suggestions for a dossier, insertion sizing and the lever through the services."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from achatsdesk.domain.clauses import render_clause
from achatsdesk.domain.dossier import Dossier, Lot
from achatsdesk.domain.levers import Lever
from achatsdesk.paths import resources_dir
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.clause_suggestions import selection_from_suggestion, suggest_for_dossier
from achatsdesk.services.insertion_sizing import size_dossier_insertion
from achatsdesk.services.lever_advice import (
    LocalSupplier,
    LocalSupply,
    advise_lever,
    catalogue_counter,
    sectors_for_cpv,
)
from achatsdesk.services.rule_settings import labour_table
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


@pytest.fixture
def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text("utf-8")))


def fake_counter(total: int, calls: list | None = None, turnover: int | None = None):
    """A made-up supply: names say they are fictitious."""

    def count(sectors, kinds, near, radius_km, departement, limit):
        if calls is not None:
            calls.append((sectors, kinds, near, radius_km, departement))
        suppliers = tuple(
            LocalSupplier(f"Structure fictive {i}", "EI", "Cergy", "95", 1.0 * i, None, "exemple", "2026", turnover)
            for i in range(min(total, limit))
        )
        return LocalSupply(total, suppliers)

    return count


def test_the_example_dossier_gets_every_mandatory_obligation_covered(example) -> None:
    advice = suggest_for_dossier(example, counter=fake_counter(5))
    from achatsdesk.services.dossier_rules import analyse

    mandatory = [o.id for o in analyse(example).assessment.mandatory()]
    assert {"env-execution-condition", "env-award-criterion", "social-execution-condition"} <= set(mandatory)
    for oid in mandatory:
        assert advice.report.covering(oid), oid
    insertion = next(s for s in advice.report.suggestions if s.clause.id == "insertion-heures")
    assert insertion.variables["heures"] == advice.sizing.total_hours == 1600


def test_sizing_uses_each_lot_and_the_staff_taken_over(example) -> None:
    example.lots = [Lot("Collèges Est", "90911200-8", 600_000), Lot("Peinture", "45442100-8", 400_000)]
    sizing = size_dossier_insertion(example, taken_over_share=Decimal("0.5"))
    east, paint = sizing.lines
    assert east.hours == 400  # 600 000 × 80 % × (1 − 50 %) × 5 % ÷ 30
    assert paint.hours == round(400_000 * 0.7 * 0.05 / 30)
    assert sizing.total_hours == east.hours + paint.hours


def test_a_labour_share_table_in_the_config_folder_overrides_the_shipped_one(example, paths) -> None:
    data = json.loads((resources_dir() / "rules" / "labour_shares.json").read_text("utf-8"))
    for entry in data["shares"]:
        if entry["cpv_prefix"] == "909":
            entry["share"] = 0.9
    (paths.config / "labour_shares.json").write_text(json.dumps(data), encoding="utf-8")
    assert labour_table().lookup("90911200-8").share == Decimal("0.9")
    assert size_dossier_insertion(example).total_hours == 1800


def test_lever_counts_in_the_dossier_sectors_around_its_place(example) -> None:
    calls: list = []
    advice = advise_lever(example, fake_counter(12, calls), place_name="Cergy (95127)")
    sectors, kinds, near, radius, dept = calls[0]
    assert "nettoyage-de-locaux-16" in sectors and "ESAT" in kinds and near == "95127" and radius == 30
    assert advice.decision.lever == Lever.RESERVE_LOT and len(advice.suppliers) == 12
    assert advice.area == "30 km autour de Cergy (95127)"
    by_dept = advise_lever(example, fake_counter(40, calls, turnover=3_000_000), scope="departement")
    assert calls[-1][4] == "95" and calls[-1][2] is None
    assert by_dept.decision.lever == Lever.RESERVE_CONTRACT  # 300 000 € a year ÷ 3 M€ = 10 %


def test_lever_without_place_or_known_sector_says_why(example) -> None:
    example.place_insee = None
    assert "lieu d'exécution" in advise_lever(example, fake_counter(50)).decision.reasons[0]
    odd = Dossier(title="x", cpv=["66000000-0"], place_insee="95127")
    assert sectors_for_cpv(odd.cpv) == []
    assert advise_lever(odd, fake_counter(50)).decision.lever == Lever.NOTHING


def test_lever_from_the_real_catalogue(example, database) -> None:
    advice = advise_lever(example, catalogue_counter(database))
    assert advice.decision.supplier_count == len(advice.suppliers) or len(advice.suppliers) == 50
    assert all(s.distance_km is not None and s.distance_km <= 30 for s in advice.suppliers)
    assert advice.decision.lever in set(Lever)


def test_a_suggestion_becomes_a_dossier_selection_that_renders(example) -> None:
    advice = suggest_for_dossier(example)
    library = load_library()
    suggestion = next(s for s in advice.report.suggestions if s.clause.id == "insertion-heures")
    selection = selection_from_suggestion(suggestion.clause, suggestion.variables)
    assert json.dumps(selection.variables)  # plain JSON values for the dossier file
    assert "1\u202f600\u00a0heures" in render_clause(library.get(selection.clause_id), selection.variables)
    assert selection.version == suggestion.clause.version


def test_settings_are_saved_as_the_users_copy_checked_and_reset(paths) -> None:
    from achatsdesk.errors import ValidationError
    from achatsdesk.services.rule_settings import (
        LEVER_SETTINGS_FILE,
        lever_settings,
        reset_settings_document,
        save_settings_document,
        settings_document,
    )

    document = settings_document(LEVER_SETTINGS_FILE)
    document["reserve_lot_min_suppliers"] = 20
    save_settings_document(LEVER_SETTINGS_FILE, document)
    assert lever_settings().reserve_lot_min == 20
    assert (paths.config / LEVER_SETTINGS_FILE).is_file()
    document["reserve_lot_min_suppliers"] = 99  # above the whole-contract threshold: refused, nothing written
    with pytest.raises(ValidationError):
        save_settings_document(LEVER_SETTINGS_FILE, document)
    assert lever_settings().reserve_lot_min == 20
    reset_settings_document(LEVER_SETTINGS_FILE)
    assert lever_settings().reserve_lot_min == 10


def test_rule_settings_read_and_write_the_configuration_folder_their_caller_gives(paths, tmp_path) -> None:
    """The window passes its context's folder; only the command line falls back to the process's."""
    from achatsdesk.services.rule_settings import (
        LEVER_SETTINGS_FILE,
        lever_settings,
        reset_settings_document,
        save_settings_document,
        settings_document,
    )

    given = tmp_path / "autre-config"
    document = settings_document(LEVER_SETTINGS_FILE, given)
    document["reserve_lot_min_suppliers"] = 20
    save_settings_document(LEVER_SETTINGS_FILE, document, given)
    assert (given / LEVER_SETTINGS_FILE).is_file() and not (paths.config / LEVER_SETTINGS_FILE).exists()
    assert lever_settings(given).reserve_lot_min == 20
    assert lever_settings().reserve_lot_min == 10  # the default folder keeps the shipped value
    reset_settings_document(LEVER_SETTINGS_FILE, given)
    assert lever_settings(given).reserve_lot_min == 10


def test_checklist_items_link_to_the_clauses_that_answer_them(example) -> None:
    from achatsdesk.services.clause_suggestions import checklist_clause_links
    from achatsdesk.services.dossier_rules import analyse

    steps = analyse(example).steps
    links = checklist_clause_links(steps, load_library(), example)
    items = {item.id: item for step in steps for item in step.items}
    assert links and all(items[item_id].obligation_id for item_id in links)
    library = load_library()
    for item_id, clause_ids in links.items():
        obligation_id = items[item_id].obligation_id
        assert all(obligation_id in library.get(cid).obligations for cid in clause_ids)
        assert "travaux-dechets-chantier" not in clause_ids  # a works clause for a cleaning dossier
    env = next(ids for item_id, ids in links.items() if items[item_id].obligation_id == "env-execution-condition")
    assert env[0] == "condition-environnementale"


def test_a_laptop_supply_puts_its_sector_clauses_first_and_the_insertion_clause_last() -> None:
    """Review: for laptops, insertion-heures came 2nd (50 % labour share by default), refurbished equipment 18th."""
    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.clause_library import load_library
    from achatsdesk.services.clause_suggestions import suggest_for_dossier

    laptops = Dossier.from_dict({
        "title": "Ordinateurs portables (exemple fictif)", "nature": "fournitures", "cpv": ["30213100-6"],
        "buyer": {"name": "Collectivité d'exemple", "kind": "collectivite", "annual_purchases_eur": 250_000_000},
        "estimated_amount_eur": 600_000, "duration_months": 36, "launch_date": "2026-12-01", "lots": [],
    })
    report = suggest_for_dossier(laptops, database=None, library=load_library(None)).report
    ranks = [s.clause.id for s in report.suggestions]
    generic = [s for s in report.suggestions if not s.clause.cpv_prefixes and s.clause.id not in {
        "condition-environnementale", "critere-environnemental", "clause-sociale-generale-services",
        "allotissement-justification", "spaser-donnees"}]  # the primary answers to mandatory obligations
    for sector_clause in ("informatique-reconditionne", "informatique-durabilite"):
        assert all(ranks.index(sector_clause) < ranks.index(g.clause.id) for g in generic), sector_clause
    insertion = next(s for s in report.suggestions if s.clause.id == "insertion-heures")
    assert ranks[-1] == "insertion-heures" and "forte intensité de main-d'œuvre" in insertion.why
    assert report.covering("social-execution-condition")[0].clause.id != "insertion-heures"
    assert report.uncovered == ()
