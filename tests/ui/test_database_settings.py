"""Paramètres › Base de données, and the status bar naming the open database."""

from __future__ import annotations

import socket

import pytest

from achatsdesk.services.team_connection import save_address, saved_address, settings_path
from achatsdesk.storage.server import ServerAddress, password_from_keyring
from tests.memory_keyring import MemoryKeyring, keyring_backend


@pytest.fixture
def dialog(qtbot, shell_context):
    from achatsdesk.ui.dialogs.database_settings import DatabaseSettingsDialog

    made = DatabaseSettingsDialog(shell_context)
    qtbot.addWidget(made)
    made.show()
    return made


@pytest.fixture
def server_database(postgres_url):
    """An empty database on a real server, then at achatsdesk's schema; its URL."""
    from sqlalchemy import create_engine

    from achatsdesk.storage.server_schema import ensure_server_schema
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_ui")
    address = ServerAddress.parse(url)
    engine = create_engine(address.url)
    ensure_server_schema(engine, address, None)
    engine.dispose()
    yield url
    drop_database(postgres_url, url)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_dialog_starts_on_the_local_file_with_the_server_fields_off(dialog) -> None:
    assert dialog.local_choice.isChecked()
    assert dialog.local_choice.text() == "Base locale (ce poste)"
    assert dialog.team_choice.text() == "Serveur de l'équipe (PostgreSQL)"
    assert not dialog.address.isEnabled() and not dialog.test_button.isEnabled()
    dialog.team_choice.setChecked(True)
    assert dialog.address.isEnabled() and dialog.password.isEnabled() and dialog.test_button.isEnabled()


def test_without_the_environment_variable_no_override_is_mentioned(dialog, monkeypatch) -> None:
    assert dialog.override.isHidden() and dialog.override.text() == ""


def test_the_environment_variable_is_said_to_win_over_the_setting(qtbot, shell_context, monkeypatch) -> None:
    from achatsdesk.ui.dialogs.database_settings import DatabaseSettingsDialog

    monkeypatch.setenv("ACHATSDESK_DATABASE_URL", "postgresql://serveur.exemple/achats")
    dialog = DatabaseSettingsDialog(shell_context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.override.isVisible()
    text = dialog.override.text()
    assert "ACHATSDESK_DATABASE_URL" in text and "achats" in text and "l'emporte sur ce réglage" in text


def test_the_saved_address_is_shown_when_the_dialog_opens(qtbot, shell_context, paths) -> None:
    from achatsdesk.ui.dialogs.database_settings import DatabaseSettingsDialog

    save_address(paths, "service=achats")
    dialog = DatabaseSettingsDialog(shell_context)
    qtbot.addWidget(dialog)
    assert dialog.team_choice.isChecked()
    assert dialog.address.text() == "service=achats"


def test_testing_the_connection_shows_the_user_and_the_schema_revision(dialog, server_database) -> None:
    from achatsdesk.storage.migrate import head_revision

    dialog.team_choice.setChecked(True)
    dialog.address.setText(server_database)
    dialog.test_button.click()
    said = dialog.result.text()
    assert said.startswith("Connexion réussie à PostgreSQL achatsdesk_ui_")
    assert "en tant que « postgres »" in said
    assert f"Révision du schéma : {head_revision()} (à jour)" in said
    assert dialog.test_button.isEnabled()


def test_a_closed_port_is_said_in_french_in_the_dialog(dialog) -> None:
    port = closed_port()
    dialog.team_choice.setChecked(True)
    dialog.address.setText(f"postgresql://dupont@127.0.0.1:{port}/achats")
    dialog.test_button.click()
    said = dialog.result.text()
    assert "Le serveur de l'équipe (PostgreSQL achats sur 127.0.0.1) ne répond pas." in said
    assert "Rien n'a été enregistré" in said


def test_saving_keeps_the_address_in_the_settings_and_the_password_in_the_keyring(dialog, paths) -> None:
    with keyring_backend(MemoryKeyring()) as memory:
        dialog.team_choice.setChecked(True)
        dialog.address.setText("postgresql://dupont@serveur.local/achats")
        dialog.password.setText("s3cret")
        dialog.save_button.click()
        assert saved_address(paths) == "postgresql://dupont@serveur.local/achats"
        assert "s3cret" not in settings_path(paths).read_text(encoding="utf-8")
        assert password_from_keyring(ServerAddress.parse(saved_address(paths))) == "s3cret"
        assert list(memory.passwords.values()) == ["s3cret"]
    said = dialog.result.text()
    assert "PostgreSQL achats sur serveur.local" in said and "prochain démarrage" in said
    assert dialog.password.text() == "" and dialog.close_button.text() == "Fermer"


def test_going_back_to_the_local_file_is_saved(dialog, paths) -> None:
    save_address(paths, "service=achats")
    dialog.local_choice.setChecked(True)
    dialog.save_button.click()
    assert saved_address(paths) == ""
    assert "Base locale (ce poste)" in dialog.result.text()


def test_an_address_with_a_password_is_refused_in_the_dialog_and_nothing_saved(dialog, paths) -> None:
    dialog.team_choice.setChecked(True)
    dialog.address.setText("postgresql://dupont:secret@serveur/achats")
    dialog.save_button.click()
    assert "mot de passe en clair" in dialog.result.text()
    assert not settings_path(paths).exists()


def test_the_settings_menu_opens_the_dialog(main_window, qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from achatsdesk.ui.dialogs.database_settings import DatabaseSettingsDialog

    action = next(a for a in main_window.settings_menu.actions() if a.text() == "&Base de données…")
    assert main_window.settings_menu.title() == "&Paramètres"
    opened = []

    def close_it() -> None:
        shown = QApplication.activeModalWidget()
        opened.append(shown)
        shown.reject()

    QTimer.singleShot(0, close_it)
    action.trigger()
    assert len(opened) == 1 and isinstance(opened[0], DatabaseSettingsDialog)


def test_the_status_bar_names_the_local_file(main_window, paths) -> None:
    assert main_window.database_label.text() == f"Base locale ({paths.database.name})"
    assert main_window.database_label.text() == "Base locale (achatsdesk.sqlite3)"
    assert main_window.database_label.isVisible()


def test_the_status_bar_names_the_team_server(qtbot, paths, server_database) -> None:
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.main_window import MainWindow
    from achatsdesk.ui.settings import Settings

    database = open_database(paths, server=server_database)
    try:
        window = MainWindow(ShellContext(paths, database, Settings(paths.config), ReferenceService(database)))
        qtbot.addWidget(window)
        window.show()
        label = window.database_label.text()
        assert label.startswith("PostgreSQL achatsdesk_ui_") and " sur " in label
        assert label == database.label
        window.close()
    finally:
        database.dispose()
