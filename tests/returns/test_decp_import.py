"""Import of published contracts: the real sample (8 957 rows) and the official JSON example."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from achatsdesk.services.decp_import import (
    contracts_won,
    count_published,
    import_decp,
    published_lines,
)
from achatsdesk.services.returns import export_spaser, spaser_figures
from tests.returns.conftest import REPO, shared_sample


@pytest.mark.slow
def test_the_real_sample_imports_and_shows_the_contracts_won_by_inclusive_suppliers(database, tmp_path) -> None:
    outcome = import_decp(database, shared_sample())
    assert outcome.rows_read == 8957 and outcome.rejected == []
    assert outcome.imported == 8957 - outcome.already_present
    assert outcome.already_present == 0 and count_published(database) == 8957
    # 28 rows have a holder in the embedded catalogue: 27 from the 2019-2020 SIAE lists
    # (EI, ACI, AI) and one ESAT (FINESS 2025).
    assert outcome.inclusive_holders == 28
    inclusive = [line for line in published_lines(database) if line.holder_kind]
    assert len(inclusive) == 28
    assert sorted({line.holder_kind for line in inclusive}) == ["ACI", "AI", "EI", "ESAT"]
    assert sum(1 for line in inclusive if line.holder_kind == "ESAT") == 1
    won = contracts_won(database, "77619094400061")  # the ESAT
    assert [(w.amount_eur, w.notified_on.isoformat(), w.procedure) for w in won] == [
        (Decimal("11767"), "2024-10-16", "Procédure adaptée")]
    # Imported again: nothing doubled.
    again = import_decp(database, shared_sample())
    assert (again.imported, again.already_present) == (0, 8957)
    # The past awards appear in the SPASER figures.
    with shared_sample().open(encoding="utf-8", newline="") as handle:
        in_2024 = sum(1 for row in csv.DictReader(handle) if row["dateNotification"].startswith("2024"))
    assert 8900 < in_2024 < 8957  # a few were notified on 1 January 2025
    lines = spaser_figures(database, 2024)
    assert sum(line.contracts for line in lines) == in_2024
    assert sum(line.contracts for line in spaser_figures(database)) == 8957
    assert sum(line.inclusive_awards for line in spaser_figures(database)) == 28
    book = load_workbook(export_spaser(database, None, tmp_path / "spaser.xlsx").path)
    assert book["Marchés"].max_row == 8957 + 1


def test_the_official_json_example_and_a_bad_row(database, tmp_path) -> None:
    outcome = import_decp(database, REPO / "tests" / "fixtures" / "decp" / "exemples_json_marches_avec_modifications.json")
    assert outcome.rows_read >= 1 and outcome.imported == outcome.rows_read - len(outcome.rejected)
    line = next(line for line in published_lines(database) if line.contract_id.endswith("TEST2022"))
    assert line.considerations.social == ("Clause sociale", "Critère social")
    assert line.considerations.environmental == ("Clause environnementale",)
    bad = tmp_path / "decp.csv"
    bad.write_text("uid,id,montant,dateNotification,titulaire_id\nA1,1,1200,2024-05-02,77619094400061\n"
                   "A2,2,douze,2024-05-02,1\nA3,3,10,02/05/2024,1\n", encoding="utf-8")
    outcome = import_decp(database, bad)
    assert outcome.imported == 1
    assert [(r.line, r.reason) for r in outcome.rejected] == [
        (3, "montant « douze » illisible"), (4, "date de notification « 02/05/2024 » illisible (AAAA-MM-JJ)")]
