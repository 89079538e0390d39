"""The AGEC art. 58 declaration: valid against the national schema, one row per category bought."""

from __future__ import annotations

import csv
import json

import pytest

from achatsdesk.errors import ValidationError
from achatsdesk.services.returns import agec_lines, export_agec, record_agec_spend
from tests.returns.conftest import BUYER_SIRET, REPO
from tests.returns.table_schema import table_errors

SCHEMA = json.loads((REPO / "resources" / "schemas" / "agec_art58_declaration_schema.json").read_text(encoding="utf-8"))


def test_the_checker_accepts_the_official_example_and_refuses_a_broken_file(tmp_path) -> None:
    example = REPO.parent / "shared" / "data" / "agec-art58" / "exemple-valide.csv"
    if not example.is_file():  # from a worktree, shared/ is further up
        example = next(p / "shared" / "data" / "agec-art58" / "exemple-valide.csv" for p in REPO.parents
                       if (p / "shared" / "data" / "agec-art58" / "exemple-valide.csv").is_file())
    assert table_errors(example, SCHEMA) == []
    broken = tmp_path / "broken.csv"
    broken.write_text(example.read_text(encoding="utf-8").replace("13002526500013", "1300252650001", 1), encoding="utf-8")
    assert table_errors(broken, SCHEMA) == ["ligne 2 : siret ne suit pas le motif"]


def test_declaration_has_one_row_per_category_bought(database, awarded, tmp_path) -> None:
    record_agec_spend(database, awarded, lot=1, year=2027, category=1, total=12000, reuse=1500, recycled=3000)
    record_agec_spend(database, awarded, lot=2, year=2027, category=1, total=8000, reuse=400)
    record_agec_spend(database, awarded, lot=2, year=2027, category=9, total="2 500,50", donation=300)
    record_agec_spend(database, awarded, lot=2, year=2028, category=5, total=100)
    outcome = export_agec(database, 2027, tmp_path / "agec-2027.csv", BUYER_SIRET, "Département du Val-d'Oise")
    assert table_errors(outcome.path, SCHEMA) == []
    with outcome.path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["type_produit_acquis"], r["montant_total"], r["montant_reemploi_et_reutilisation"]) for r in rows] == [
        ("Produits textiles à l'exception des équipements de protection individuels", "20000.00", "1900.00"),
        ("Mobilier et aménagement d'intérieur", "2500.50", "0.00"),
    ]
    textiles, furniture = agec_lines(database, 2027)
    # The décret's steps: 2024 (8 % / 20 %), then 2027 (15 % / 25 %) for textiles.
    assert textiles.minimum == "réemploi ou réutilisation 15 %, matières recyclées 25 % (palier 2027)"
    assert furniture.minimum == "à vérifier"
    assert "30 juin 2028" in outcome.notes[-1]
    assert agec_lines(database, 2028)[0].minimum == "à vérifier"  # category 5 (paper) only, bought in 2028
    record_agec_spend(database, awarded, lot=1, year=2026, category=1, total=10)
    assert agec_lines(database, 2026)[0].minimum.startswith("réemploi ou réutilisation 8 %, matières recyclées 20 %")


def test_a_spend_above_the_total_or_on_an_unawarded_lot_is_refused(database, awarded) -> None:
    with pytest.raises(ValidationError, match="dépasser"):
        record_agec_spend(database, awarded, lot=1, year=2027, category=1, total=100, reuse=200)
    with pytest.raises(ValidationError, match="lot n° 3"):
        record_agec_spend(database, awarded, lot=3, year=2027, category=1, total=100)
    with pytest.raises(ValidationError, match="n° 18"):
        record_agec_spend(database, awarded, lot=1, year=2027, category=18, total=100)
