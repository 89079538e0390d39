"""The Suivi view over the contracts in execution, the hours chart of Indicateurs, and the
contracts won on a supplier's detail pane."""

from __future__ import annotations

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from achatsdesk.services import execution
from achatsdesk.services.catalogue import get_supplier
from achatsdesk.services.decp_import import import_decp
from achatsdesk.services.dossiers import create_dossier, record_review
from achatsdesk.ui.execution.hours_chart import REALISED
from tests.execution.conftest import OTHER_SIRET, SIAE_SIRET, example_dossier

REPO = Path(__file__).resolve().parents[2]


def _in_execution(database) -> int:
    dossier_id = create_dossier(database, example_dossier())
    record_review(database, dossier_id, "valide", "Cheffe du service achats")
    execution.award_lot(database, dossier_id, lot=1, siret=SIAE_SIRET, notified_on="2026-01-05", amount=680000,
                        duration_months=24, offers_received=3)
    execution.award_lot(database, dossier_id, lot=2, siret=OTHER_SIRET, name="Propreté Exemple (fictive)",
                        notified_on="2026-01-05", amount=490000, duration_months=24, offers_received=2)
    for period, hours in (("2026-T1", 60), ("2026-T2", 70), ("2026-T3", 50), ("2026-T4", 80)):
        execution.record_realised(database, dossier_id, clause_id="insertion-heures", lot=1, period=period,
                                  value=hours, now=None)
    return dossier_id


def test_suivi_lists_each_lot_with_its_progress_and_late_reports(qtbot, main_window, database) -> None:
    _in_execution(database)
    page = main_window.show_section("suivi")
    assert page.table.rowCount() == 2
    assert page.table.item(0, 4).text() == "260 / 400 h"
    assert page.table.cellWidget(0, 5).value() == 65
    # Lot 2 never had a report since its notification on 5 January 2026.
    months = (date.today().year - 2026) * 12 + date.today().month - 1 - (date.today().day < 5)
    assert page.table.item(1, 7).text() == (f"aucun relevé depuis {months} mois" if months >= 4 else "à jour")
    assert "2 lots en exécution" in page.status_text()


def test_indicators_show_realised_figures_and_draw_the_hours_chart(qtbot, main_window, database) -> None:
    _in_execution(database)
    page = main_window.show_section("indicateurs")
    panel = page.realised
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 6).text() == "700 / 260"
    assert panel.chart.years == [(2026, 700, 260)]
    panel.chart.resize(640, 260)
    image = panel.chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 640, 4) for y in range(0, 260, 4)}
    assert REALISED.name() in colours and QColor("#9db4d6").name() in colours
    if os.environ.get("ACHATSDESK_SCREENSHOTS"):  # refreshes the picture of docs/ (made-up figures)
        panel.chart.set_years([(2025, Decimal(1200), Decimal(1040)), (2026, Decimal(700), Decimal(260)),
                               (2027, Decimal(900), Decimal(120))])
        panel.chart.resize(720, 280)
        assert panel.chart.grab().save(str(REPO / "docs" / "indicateurs-heures.png"))


def test_supplier_pane_shows_the_contracts_it_won(qtbot, catalogue_page, database, tmp_path) -> None:
    report = tmp_path / "decp.csv"
    report.write_text("uid,id,acheteur_id,acheteur_nom,titulaire_id,montant,dateNotification,procedure\n"
                      "X1,1,21660172400018,COMMUNE EXEMPLE (fictive),77619094400061,11767,2024-10-16,"
                      "Procédure adaptée\n", encoding="utf-8")
    import_decp(database, report)
    catalogue_page.detail.show_detail(get_supplier(database, "77619094400061"))
    text = catalogue_page.detail.body.toPlainText()
    assert "Marchés publics remportés (1)" in text and "COMMUNE EXEMPLE (fictive)" in text
    catalogue_page.detail.show_detail(get_supplier(database, SIAE_SIRET))
    assert "Marchés publics remportés" not in catalogue_page.detail.body.toPlainText()


def test_published_contracts_imported_from_indicators_join_the_realised_figures(qtbot, main_window, tmp_path):
    page = main_window.show_section("indicateurs")
    sample = REPO / "tests" / "fixtures" / "decp" / "exemples_json_marches_avec_modifications.json"
    page.realised.import_file(str(sample))
    assert re.search(r"\b\d+ marchés? importés?\b", page.realised.report.text())  # no "(s)" plural
    assert "(s)" not in page.realised.report.text()
    assert page.realised.table.rowCount() >= 1
    assert any(c.source.startswith("DECP") for c in page.realised.contracts)


@pytest.mark.slow
def test_the_real_sample_shows_28_contracts_won_on_the_catalogue_panes(qtbot, catalogue_page, database) -> None:
    import re

    from achatsdesk.storage import execution_repository as repo
    from tests.returns.conftest import shared_sample

    import_decp(database, shared_sample())
    with database.unit_of_work() as session:
        holders = repo.catalogue_sirets(session, [r.holder_siret for r in repo.public_contracts(session)])
    shown = 0
    for siret in holders:
        catalogue_page.detail.show_detail(get_supplier(database, siret))
        found = re.search(r"Marchés publics remportés \((\d+)\)", catalogue_page.detail.body.toPlainText())
        shown += int(found.group(1))
    assert len(holders) == 12  # twelve inclusive suppliers of the catalogue won them
    assert shown == 28  # 27 rows won by SIAE of the 2019-2020 lists, 1 by an ESAT
