"""The side-by-side choice of a dossier changed offline and on the server: one row per field,
French values, a choice per field; and the Dossiers page's "Emporter" / "Rapporter" on a real
PostgreSQL server, through that dialog."""

from __future__ import annotations

import copy
import shutil
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.dossier_merge import CHECKLIST_PREFIX, MINE, THEIRS, field_differences
from achatsdesk.domain.formatting import NARROW_NBSP, NBSP
from achatsdesk.services.offline import BringBackOutcome
from achatsdesk.ui.dossier.merge_dialog import APPLY, KEEP_BOTH, MergeDialog


def _outcome() -> BringBackOutcome:
    base = Dossier("Nettoyage des collèges", estimated_amount_eur=Decimal(1_200_000), uid="u-1")
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.title = "Nettoyage 2027"
    mine.items["social-condition"] = ItemState(ItemStatus.A_FAIRE, comment="Clause d'insertion")
    theirs.title = "Nettoyage et gymnases"
    theirs.estimated_amount_eur = Decimal(1_350_000)
    differences = field_differences(base, mine, theirs, item_title=lambda _i: "Condition sociale")
    return BringBackOutcome(7, 3, "Nettoyage 2027", False, 2, tuple(differences))


@pytest.fixture
def dialog(qtbot):
    shown = MergeDialog(_outcome())
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _texts(dialog: MergeDialog) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in dialog.findChildren(QLabel)]


def test_each_differing_field_is_a_row_with_french_values_and_a_preset_choice(dialog):
    texts = _texts(dialog)
    assert "<b>⚠ Intitulé</b>" in texts  # changed on both sides: marked
    assert "Montant estimé" in texts and "Check-list : Condition sociale" in texts
    assert f"1{NARROW_NBSP}350{NARROW_NBSP}000{NBSP}€{NBSP}HT" in texts
    assert "À faire ; commentaire : « Clause d'insertion »" in texts
    assert "1 champ modifié des deux côtés" in texts[0]
    # Preset: each field to the side that changed it, mine when both did.
    assert dialog.choices() == {"title": MINE, "estimated_amount_eur": THEIRS,
                                CHECKLIST_PREFIX + "social-condition": MINE}


def test_choosing_per_field_and_applying(qtbot, dialog):
    qtbot.mouseClick(dialog.radio("title", THEIRS), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.radio("estimated_amount_eur", MINE), Qt.MouseButton.LeftButton)

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    assert dialog.decision == APPLY and dialog.result() == MergeDialog.DialogCode.Accepted
    assert dialog.choices() == {"title": THEIRS, "estimated_amount_eur": MINE,
                                CHECKLIST_PREFIX + "social-condition": MINE}


def test_keep_both_and_cancel(qtbot, dialog):
    qtbot.mouseClick(dialog.keep_both_button, Qt.MouseButton.LeftButton)
    assert dialog.decision == KEEP_BOTH
    other = MergeDialog(_outcome())
    qtbot.addWidget(other)
    other.show()
    qtbot.mouseClick(other.cancel_button, Qt.MouseButton.LeftButton)
    assert other.decision is None and other.result() == MergeDialog.DialogCode.Rejected


# --- the Dossiers page in team mode, on a real server ---------------------------------------
@pytest.fixture
def server_url(postgres_url):
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_ui_offline")
    yield url
    drop_database(postgres_url, url)


@pytest.fixture
def team_page(qtbot, paths, _template_database, server_url):
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage
    from achatsdesk.ui.settings import Settings

    shutil.copyfile(_template_database, paths.database)
    database = open_database(paths, server=server_url)
    context = ShellContext(paths, database, Settings(paths.config), ReferenceService(database))
    page = DossiersPage(context)
    qtbot.addWidget(page)
    page.show()
    yield page
    # A team window listens to the server's notifications (the "together" work): stopped before the
    # test's server database goes.
    stop_listening = getattr(context, "stop_team_events", None)
    if stop_listening is not None:
        stop_listening()
    database.dispose()


def _select_first(page) -> None:
    page.refresh_list()
    page.table.selectRow(0)


def test_take_away_then_bring_back_through_the_side_by_side_choice(team_page, example_dossier, server_url,
                                                                   tmp_path, _template_database):
    from achatsdesk.services import dossiers
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.storage.database import Database

    page = team_page
    database = page.context.database
    assert page.offline.take_action.isVisible() and page.offline.bring_action.isVisible()  # team mode
    assert page.offline.take_action in page.toolbar_actions()
    server_id = dossiers.create_dossier(database, example_dossier)
    _select_first(page)

    [taken] = page.offline.take_away_selected()
    assert "1 dossier emporté hors connexion" in page.status_text()
    page.table.clearSelection()
    page.table.selectRow(0)
    assert page.status_text().startswith("Emporté hors connexion sur ce poste le ")

    local = Database(database.path)  # edited offline
    stored = dossiers.get_dossier(local, taken.local_id)
    stored.dossier.title = "Titre hors connexion"
    dossiers.save_dossier(local, taken.local_id, stored.dossier, stored.revision)
    local.dispose()
    colleague_paths = type(page.context.paths)(*(tmp_path / "colleague" / name
                                                 for name in ("data", "config", "logs", "backups"))).ensure()
    shutil.copyfile(_template_database, colleague_paths.database)
    colleague = open_database(colleague_paths, server=server_url)
    theirs = dossiers.get_dossier(colleague, server_id)
    theirs.dossier.title = "Titre du collègue"
    theirs.dossier.estimated_amount_eur = Decimal(1_350_000)
    dossiers.save_dossier(colleague, server_id, theirs.dossier, theirs.revision)

    shown = []

    def choose_mine_for_the_title(outcome):
        dialog = MergeDialog(outcome, page)
        shown.append(dialog)
        dialog.choose("title", MINE)
        dialog.apply_button.click()
        return dialog

    page.offline.ask_merge = choose_mine_for_the_title
    said = page.offline.bring_back_all()

    assert len(shown) == 1 and said == ["« Titre hors connexion » rapporté avec vos choix."]
    on_server = dossiers.get_dossier(colleague, server_id).dossier
    assert on_server.title == "Titre hors connexion" and on_server.estimated_amount_eur == Decimal(1_350_000)
    colleague.dispose()


def test_offline_at_start_the_page_says_so(qtbot, paths, _template_database, monkeypatch):
    import socket

    from achatsdesk.services.bootstrap import DatabaseOpener
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage
    from achatsdesk.ui.settings import Settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/achats")
    shutil.copyfile(_template_database, paths.database)
    opener = DatabaseOpener(paths)
    database = opener.result()
    try:
        page = DossiersPage(ShellContext(paths, None, Settings(paths.config), opener=opener))
        qtbot.addWidget(page)
        page.show()
        page.stack.setCurrentWidget(page.list_view)
        assert page.offline.banner.isVisible()
        assert page.offline.banner.text() == ("Serveur injoignable : vous travaillez hors connexion sur la base "
                                              "locale (aucun dossier emporté).")
        assert not page.offline.take_action.isVisible()  # nothing to take away from without the server
    finally:
        database.dispose()
