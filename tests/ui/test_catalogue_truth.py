"""The catalogue tells the truth (issue 12): the data's own date on import, the structures of
unknown sector counted beside the sector's, clickable map points with a tooltip."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from sqlalchemy import text

from achatsdesk.catalogue.source_date import date_in_name, parse_source_date, suggested_source_date
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services.catalogue import import_file
from achatsdesk.services.catalogue_sourcing import unknown_sector_count
from achatsdesk.ui.catalogue.map_view import ResultsMap

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue"


def test_dates_read_from_file_names():
    assert date_in_name("asp_siae_2019_sample") == "2019-01-01"
    assert date_in_name("liste-2019-06") == "2019-06-01"
    assert date_in_name("export_20240315") == "2024-03-15"
    assert date_in_name("geiq 15-03-2021") == "2021-03-15"
    assert date_in_name("structures") is None
    assert parse_source_date("01/06/2019") == "2019-06-01" and parse_source_date("2019") == "2019-01-01"
    with pytest.raises(ValueError, match="n'est pas une date"):
        parse_source_date("hier")


def test_an_import_keeps_the_date_of_its_data_never_today(database, tmp_path):
    copied = tmp_path / "asp_siae_2019_sample.csv"
    shutil.copyfile(FIXTURES / "asp_siae_2019_sample.csv", copied)  # copied today: today's file date
    os.utime(copied, (time.time(), time.time()))
    assert suggested_source_date(copied).value == "2019-01-01"
    import_file(database, copied)
    with database.engine.connect() as conn:
        dates = {r[0] for r in conn.execute(text("SELECT DISTINCT source_date FROM supplier WHERE source LIKE 'Import%'"))}
    assert dates == {"2019-01-01"} and date.today().isoformat() not in dates

    unnamed = tmp_path / "structures.csv"
    shutil.copyfile(FIXTURES / "asp_siae_2019_sample.csv", unnamed)
    suggestion = suggested_source_date(unnamed)
    assert "à vérifier" in suggestion.origin  # the file's date is only proposed, and said to be so
    import_file(database, unnamed, source_date="2018-09-01")  # what the buyer confirmed
    with database.engine.connect() as conn:
        dates = {r[0] for r in conn.execute(text(
            "SELECT DISTINCT source_date FROM supplier WHERE source LIKE '%structures.csv%'"))}
    assert dates == {"2018-09-01"}


def test_structures_of_unknown_sector_are_counted_within_the_radius(database):
    from achatsdesk.services.catalogue import search_suppliers

    dossier = Dossier("Nettoyage", cpv=["90911200-8"], place_insee="95127")
    everyone = search_suppliers(database, kinds=("Insertion (SIAE)",), near="95127", radius_km=30, limit=10_000)
    expected = sum(1 for h in everyone.hits if not h.sectors)
    assert unknown_sector_count(database, dossier, kinds=("Insertion (SIAE)",), radius_km=30) == expected
    assert unknown_sector_count(database, Dossier("Sans lieu"), kinds=("Insertion (SIAE)",), radius_km=30) is None


def test_the_sourcing_box_names_the_unknown_sector_structures(qtbot, make_editor, database, monkeypatch):
    from achatsdesk.services import catalogue_sourcing
    from achatsdesk.services import dossiers as svc

    monkeypatch.setattr(catalogue_sourcing, "unknown_sector_count", lambda *a, **k: 23)
    dossier = Dossier("Nettoyage des collèges", cpv=["90911200-8"], place_insee="95127", estimated_amount_eur=1_200_000)
    editor = make_editor(svc.create_dossier(database, dossier))
    box = editor.findChild(type(editor.summary), "sourcingBox")
    qtbot.waitUntil(lambda: "sans secteur connu" in box.text(), timeout=3000)
    assert "+ 23 structures sans secteur connu" in box.text() and "voir dans le catalogue" in box.text()


def test_map_points_are_clickable_and_show_a_tooltip(qtbot):
    view = ResultsMap()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    view.set_scene((49.04, 2.07), "Cergy", 30, [], [(49.05, 2.10, "EI", 7), (48.95, 2.20, "ESAT", 9)],
                   {7: "Exemple insertion (fictif) · EI · Cergy", 9: "Atelier (fictif) · ESAT · Pontoise"})
    where = view.point_position(7)
    assert view.tooltip_at(where) == "Exemple insertion (fictif) · EI · Cergy"
    assert view.point_at(QPointF(5, 5)) is None
    with qtbot.waitSignal(view.point_clicked) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=where.toPoint())
    assert clicked.args == [7]


def test_a_click_on_the_map_selects_the_row(qtbot, catalogue_page):
    qtbot.waitUntil(lambda: catalogue_page.model.rowCount() > 1, timeout=5000)
    second = catalogue_page.model.row(1)
    assert catalogue_page.select_supplier(second.id)
    assert catalogue_page.table.currentIndex().row() == 1
    assert not catalogue_page.select_supplier(-1)
