"""The insertion-sizing factors are stored with the dossier, travel in the exchange file,
and drive the suggestions and the review report."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from achatsdesk.domain.dossier import Buyer, BuyerKind, Dossier, InsertionFactors, Lot, Nature
from achatsdesk.errors import InputFileError
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_suggestions import suggest_for_dossier
from achatsdesk.services.dossier_exchange import FORMAT_NAME, export_dossier, import_dossier
from achatsdesk.services.exports import review_input_for
from achatsdesk.services.insertion_sizing import size_dossier_insertion
from achatsdesk.storage import migrate
from tests.dossier_edits import save

FACTORS = InsertionFactors(labour_share=Decimal("0.5"), rate=Decimal("0.1"), hourly_cost=Decimal("40"),
                           taken_over_share=Decimal("0.25"))


def cleaning(**changes) -> Dossier:
    dossier = Dossier(
        title="Nettoyage des gymnases (fictif)", buyer=Buyer("Commune fictive", BuyerKind.COLLECTIVITE, 30_000_000),
        nature=Nature.SERVICES, cpv=["90911200-8"], estimated_amount_eur=800_000, duration_months=36,
        place_insee="95127", launch_date=date(2026, 12, 1),
    )
    for name, value in changes.items():
        setattr(dossier, name, value)
    return dossier


def test_factors_are_saved_and_read_back(database) -> None:
    dossier_id = svc.create_dossier(database, cleaning(insertion=FACTORS))
    assert svc.get_dossier(database, dossier_id).dossier.insertion == FACTORS

    stored = svc.get_dossier(database, dossier_id).dossier
    stored.insertion = InsertionFactors(rate=Decimal("0.07"))
    save(database, dossier_id, stored)  # the editor's autosave path
    assert svc.get_dossier(database, dossier_id).dossier.insertion == InsertionFactors(rate=Decimal("0.07"))

    stored.insertion = None
    save(database, dossier_id, stored)
    assert svc.get_dossier(database, dossier_id).dossier.insertion is None
    with database.shared_engine.connect() as conn:
        assert conn.execute(text("SELECT insertion_json FROM dossier WHERE id = :id"), {"id": dossier_id}).scalar() is None


def test_an_unreadable_stored_value_falls_back_to_the_defaults(database) -> None:
    dossier_id = svc.create_dossier(database, cleaning(insertion=FACTORS))
    with database.shared_engine.begin() as conn:
        conn.execute(text("UPDATE dossier SET insertion_json = :bad WHERE id = :id"), {"bad": '{"rate": 7}', "id": dossier_id})
    assert svc.get_dossier(database, dossier_id).dossier.insertion is None  # the dossier still opens


def test_exchange_file_round_trip_keeps_the_factors(database, tmp_path) -> None:
    dossier_id = svc.create_dossier(database, cleaning(insertion=FACTORS))
    exported = export_dossier(database, dossier_id, tmp_path / "envoi.achatsdesk")
    with zipfile.ZipFile(exported) as archive:
        body = json.loads(archive.read("dossier.json"))
    assert body["dossier"]["insertion"] == {"labour_share": 0.5, "rate": 0.1, "hourly_cost": 40,
                                            "taken_over_share": 0.25}
    outcome = import_dossier(database, exported)
    assert outcome.kept_both  # same uid here: imported beside it
    assert svc.get_dossier(database, outcome.dossier_id).dossier.insertion == FACTORS


def test_an_older_exchange_file_without_the_key_still_imports(database, tmp_path) -> None:
    data = cleaning().to_dict()
    del data["insertion"]
    old = tmp_path / "ancien.achatsdesk"
    with zipfile.ZipFile(old, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": FORMAT_NAME, "schema_version": 1}))
        archive.writestr("dossier.json", json.dumps({"dossier": data, "shortlist": None}))
    outcome = import_dossier(database, old)
    imported = svc.get_dossier(database, outcome.dossier_id).dossier
    assert imported.insertion is None and imported.title == "Nettoyage des gymnases (fictif)"


def test_sizing_and_suggestions_use_the_saved_factors(database) -> None:
    dossier_id = svc.create_dossier(database, cleaning(insertion=FACTORS))
    dossier = svc.get_dossier(database, dossier_id).dossier
    # 800 000 × 50 % × (1 − 25 % repris) × 10 % ÷ 40 €/h = 750 h
    assert size_dossier_insertion(dossier).total_hours == 750
    default_hours = size_dossier_insertion(cleaning()).total_hours
    assert default_hours != 750

    advice = suggest_for_dossier(dossier)
    insertion = next(s for s in advice.report.suggestions if s.clause.id == "insertion-heures")
    assert advice.sizing.total_hours == insertion.variables["heures"] == 750
    # A factor given explicitly wins over the saved one; the others stay the dossier's.
    assert suggest_for_dossier(dossier, rate=Decimal("0.05")).sizing.total_hours == 375
    assert suggest_for_dossier(dossier, taken_over_share=0).sizing.total_hours == 1000


def test_per_lot_hours_in_the_suggestion_and_the_pooled_total(database) -> None:
    dossier = cleaning(estimated_amount_eur=0, insertion=InsertionFactors(labour_share=Decimal("0.6")),
                       lots=[Lot("Gymnases nord", "90911200-8", 450_000), Lot("Gymnases sud", "90911200-8", 150_000)])
    advice = suggest_for_dossier(dossier)
    insertion = next(s for s in advice.report.suggestions if s.clause.id == "insertion-heures")
    per_lot = [lv.variables["heures"] for lv in insertion.lot_variables]
    assert per_lot == [line.hours for line in advice.sizing.lines] == [450, 150]  # × 60 % × 5 % ÷ 30 €/h
    assert insertion.variables["heures"] == sum(per_lot) == advice.sizing.total_hours


def test_the_review_report_shows_the_sizing_with_the_saved_factors(database) -> None:
    dossier_id = svc.create_dossier(database, cleaning(insertion=FACTORS))
    summary = dict(review_input_for(dossier_id, database=database).summary)
    text = summary["Heures d'insertion"].replace("\u202f", " ").replace("\u00a0", " ")
    assert "800 000 € × 50 % × (1 − 25 % repris) × 10 % ÷ 40 €/h = 750 h" in text
    assert "facteurs saisis dans le dossier" in text

    lots = cleaning(estimated_amount_eur=0, lots=[Lot("Nord", "90911200-8", 450_000), Lot("Sud", None, 150_000)])
    text = dict(review_input_for(lots, database=database).summary)["Heures d'insertion"]
    assert "Nord : " in text and "Sud : " in text and "Total mutualisé" in text and "facteurs par défaut" in text


def test_migration_adds_the_column_and_keeps_existing_dossiers(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0004_clauses")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO dossier (uid, title, reference, buyer_name, buyer_kind, nature, estimated_amount_cents, status, "
        "revision, created_at, updated_at) VALUES ('u-1', 'Avant 0005 (fictif)', '', '', 'collectivite', 'services', "
        "100, 'brouillon', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    conn.commit()
    conn.close()
    outcome = migrate.ensure_schema(db_path, tmp_path / "backups")
    assert outcome.previous == "0004_clauses" and outcome.current == migrate.head_revision()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT title, insertion_json FROM dossier").fetchall() == [("Avant 0005 (fictif)", None)]
    finally:
        conn.close()


def test_chosen_clauses_follow_a_factor_change_unless_the_buyer_typed_the_hours() -> None:
    from achatsdesk.domain.dossier import ClauseSelection
    from achatsdesk.services.clause_library import load_library
    from achatsdesk.services.insertion_sizing import follow_sizing

    before = cleaning(estimated_amount_eur=0, lots=[Lot("Nord", "90911200-8", 450_000), Lot("Sud", "90911200-8", 150_000)],
                      insertion=InsertionFactors(labour_share=Decimal("0.6")))
    before.clauses = [
        ClauseSelection("insertion-heures", "1.0", {"heures": 600, "duree_mois": 36}),  # the pooled figure
        ClauseSelection("insertion-heures", "1.0", {"heures": 450}, lot=0),  # lot 1's figure
        ClauseSelection("insertion-heures", "1.0", {"heures": 99}, lot=1),  # typed by the buyer
    ]
    after = cleaning(**{k: getattr(before, k) for k in ("estimated_amount_eur", "lots")})
    after.clauses = [ClauseSelection(c.clause_id, c.version, dict(c.variables), c.lot) for c in before.clauses]
    after.insertion = InsertionFactors(labour_share=Decimal("0.6"), rate=Decimal("0.1"))
    follow_sizing(before, after, load_library(None))
    assert [c.variables["heures"] for c in after.clauses] == [1200, 900, 99]
    assert after.clauses[0].variables["duree_mois"] == 36


def test_the_annex_of_a_json_dossier_writes_the_hours_from_its_factors(database) -> None:
    from achatsdesk.services.exports import annex_input_for

    annex = annex_input_for(cleaning(insertion=FACTORS), database=database)
    body = next(c.body for c in annex.clauses if c.id == "insertion-heures")
    assert "750\u00a0heures" in body  # 800 000 × 50 % × 75 % × 10 % ÷ 40, not the default 1 067
    default = annex_input_for(cleaning(), database=database)
    assert "750\u00a0heures" not in next(c.body for c in default.clauses if c.id == "insertion-heures")


def test_an_exchange_file_with_a_bad_factor_is_refused_and_changes_nothing(database, tmp_path) -> None:
    data = cleaning().to_dict() | {"insertion": {"rate": 7}}
    bad = tmp_path / "mauvais.achatsdesk"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": FORMAT_NAME, "schema_version": 1}))
        archive.writestr("dossier.json", json.dumps({"dossier": data}))
    before = svc.count_dossiers(database)
    with pytest.raises(InputFileError) as refused:
        import_dossier(database, bad)
    assert "insertion.rate" in refused.value.message and svc.count_dossiers(database) == before


def test_factors_in_force_are_the_saved_ones_else_the_table_defaults() -> None:
    from achatsdesk.services.insertion_sizing import factors_in_force
    from achatsdesk.services.rule_settings import labour_table

    table = labour_table()
    assert factors_in_force(None, table) == {"labour_share": None, "rate": table.default_rate,
                                              "hourly_cost": table.default_hourly_cost, "taken_over_share": Decimal(0)}
    saved = InsertionFactors(rate=Decimal("0.07"), hourly_cost=Decimal("32"))
    assert factors_in_force(saved, table)["rate"] == Decimal("0.07") and factors_in_force(saved)["hourly_cost"] == 32
