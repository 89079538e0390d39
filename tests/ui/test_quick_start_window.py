"""The quick start: when the database needs no change, the window lists the
dossiers before SQLAlchemy is imported, then opens the ORM database after its
first paint; any other start opens the database fully first."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest

from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers as svc
from achatsdesk.services.bootstrap import DatabaseOpener, open_quick_reader
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.main_window import MainWindow
from achatsdesk.ui.settings import Settings

# A fresh interpreter: run the application's self-check, then say whether the ORM was loaded.
RUN_SELF_CHECK = """
import sys
from achatsdesk.app import main
code = main(["achatsdesk", "--self-check", *sys.argv[1:]])
print("sqlalchemy chargé :", "sqlalchemy" in sys.modules)
sys.exit(code)
"""


def _self_check(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", RUN_SELF_CHECK, *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_an_up_to_date_database_is_listed_before_the_orm_is_imported(database) -> None:
    svc.create_dossier(database, Dossier("Dossier fictif de test", estimated_amount_eur=Decimal(1000)))
    result = _self_check()
    assert result.returncode == 0, result.stderr
    assert "démarrage rapide (base à jour, 1 dossier listé)" in result.stdout
    assert "sqlalchemy chargé : False" in result.stdout


def test_until_ready_also_waits_for_the_orm_database(database) -> None:
    result = _self_check("--until-ready")
    assert result.returncode == 0, result.stderr
    assert "prête en" in result.stdout and "sqlalchemy chargé : True" in result.stdout


def test_a_first_start_opens_the_database_fully(paths) -> None:
    assert not paths.database.exists()
    result = _self_check()
    assert result.returncode == 0, result.stderr
    assert "prête en" in result.stdout  # the self-check waited for the schema and the reference data
    with sqlite3.connect(paths.database) as conn:
        assert conn.execute("SELECT count(*) FROM cpv").fetchone()[0] == 9454


def test_a_newer_database_stops_the_start_in_french(database, paths) -> None:
    database.dispose()
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = _self_check()
    assert result.returncode == 1
    assert "version plus récente" in result.stderr


@pytest.fixture
def quick_window(qtbot, paths, database):
    svc.create_dossier(database, Dossier("Dossier fictif de test"))
    reader = open_quick_reader(paths)
    assert reader is not None
    context = ShellContext(paths, None, Settings(paths.config), opener=DatabaseOpener(paths), reader=reader)
    window = MainWindow(context)
    qtbot.addWidget(window)
    yield window
    if context.opener.started:
        context.opener.finish()
        context.database.dispose()


def test_the_dossiers_are_listed_from_the_reader_then_from_the_orm(quick_window, qtbot) -> None:
    context = quick_window.context
    page = quick_window.page("dossiers")
    assert quick_window.stack.currentWidget() is page
    assert not quick_window.is_ready and not context.opener.started
    assert page.model.rowCount() == 1 and page.model.row(0).title == "Dossier fictif de test"

    page.table.selectRow(0)
    with qtbot.waitSignal(quick_window.ready, timeout=30_000):
        quick_window.open_database()
    assert context.has_database and context.reader is None  # the start-up reader is closed
    assert page.model.rowCount() == 1
    assert page.selected_id() is not None  # the list was not reset under the user's selection
    page.refresh_list()  # from now on through the ORM
    assert page.model.row(0).title == "Dossier fictif de test"


def test_a_section_that_needs_the_orm_waits_for_it(quick_window, qtbot) -> None:
    with qtbot.waitSignal(quick_window.ready, timeout=30_000):
        quick_window.rail.setCurrentRow(1)  # Catalogue ESS
        assert quick_window.stack.currentWidget() is quick_window._loading
    assert quick_window.stack.currentWidget() is quick_window.page("catalogue")


def test_an_action_before_the_orm_is_open_waits_for_it(quick_window) -> None:
    page = quick_window.page("dossiers")
    editor = page.new_dossier()  # needs the ORM: waits for the opener instead of failing
    assert editor is not None and quick_window.context.has_database
    assert editor.current_dossier().title == "Nouveau dossier"


def test_the_plain_flags_are_read_as_argparse_reads_them() -> None:
    from itertools import combinations

    from achatsdesk.app import _PLAIN_FLAGS, _parse, _parser

    flags = list(_PLAIN_FLAGS)
    for size in range(len(flags) + 1):
        for chosen in combinations(flags, size):
            argv = ["achatsdesk", *chosen]
            assert _parse(argv) == _parser().parse_known_args(argv[1:])[0], chosen
    # Anything else (a file, an abbreviation, a Qt option) is argparse's.
    assert _parse(["achatsdesk", "--self", "a.achatsdesk"]).files == ["a.achatsdesk"]
    assert _parse(["achatsdesk", "--self", "a.achatsdesk"]).self_check


def test_the_list_is_read_again_only_when_the_database_changed(quick_window, database, qtbot) -> None:
    page = quick_window.page("dossiers")
    resets = []
    page.model.modelReset.connect(lambda: resets.append(True))
    page.on_shown()  # shown again, nothing written meanwhile: the lines read stay (and the selection)
    assert resets == [] and page.model.rowCount() == 1
    svc.create_dossier(database, Dossier("Écrit par une autre connexion"))
    page.on_shown()
    assert resets == [True] and page.model.rowCount() == 2
    assert page.model.row(0).title == "Écrit par une autre connexion"
    page.search.setText("autre")  # new filters: read again
    assert [page.model.row(i).title for i in range(page.model.rowCount())] == ["Écrit par une autre connexion"]
