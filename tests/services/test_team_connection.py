"""Which database opens (services/team_connection.py): the saved address, the override, the refusals."""

from __future__ import annotations

import json

import pytest

from achatsdesk.errors import StorageError
from achatsdesk.services import team_connection
from achatsdesk.services.team_connection import (
    ENVIRONMENT_VARIABLE,
    address_label,
    check_connection,
    configured_address,
    remember_password,
    save_address,
    saved_address,
    settings_path,
)
from achatsdesk.storage.server import password_from_keyring
from tests.memory_keyring import MemoryKeyring, keyring_backend


@pytest.fixture
def memory_keyring():
    with keyring_backend(MemoryKeyring()) as backend:
        yield backend


def test_a_saved_address_is_read_back_and_opens_the_server(paths) -> None:
    save_address(paths, "  service=achats ")
    assert saved_address(paths) == "service=achats"
    assert json.loads(settings_path(paths).read_text(encoding="utf-8")) == {"address": "service=achats"}
    address = configured_address(paths)
    assert address is not None and address.label == "PostgreSQL (service achats)"


def test_saving_nothing_or_local_goes_back_to_the_local_file(paths) -> None:
    save_address(paths, "postgresql://serveur/achats")
    save_address(paths, "local")
    assert saved_address(paths) == ""
    assert configured_address(paths) is None
    assert address_label("") == "Base locale (ce poste)"


def test_the_environment_variable_overrides_the_saved_address(paths, monkeypatch) -> None:
    save_address(paths, "postgresql://serveur/achats")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "postgresql://autre.serveur/essais")
    assert configured_address(paths).label == "PostgreSQL essais sur autre.serveur"
    assert configured_address(paths, explicit="postgresql:///achats?host=/run/postgresql").label == (
        "PostgreSQL achats sur ce poste")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "local")
    assert configured_address(paths) is None
    assert configured_address(paths, explicit="service=achats").label == "PostgreSQL (service achats)"


@pytest.mark.parametrize("address", ["postgresql://dupont:secret@serveur/achats",
                                     "host=serveur dbname=achats password=secret"], ids=["url", "libpq"])
def test_a_password_in_the_address_is_refused_in_french_and_nothing_is_written(paths, address) -> None:
    with pytest.raises(StorageError, match="mot de passe en clair"):
        save_address(paths, address)
    assert not settings_path(paths).exists()


def test_an_unreadable_address_is_refused_in_french(paths) -> None:
    with pytest.raises(StorageError, match="ni une URL"):
        save_address(paths, "serveur-achats")
    assert not settings_path(paths).exists()


def test_an_unknown_key_in_the_settings_file_is_refused_in_french(paths) -> None:
    paths.config.mkdir(parents=True, exist_ok=True)
    settings_path(paths).write_text(json.dumps({"address": "service=achats", "password": "x"}), encoding="utf-8")
    with pytest.raises(StorageError, match="clé inconnue") as refused:
        saved_address(paths)
    assert "password" in refused.value.message
    assert "address" in refused.value.hint


def test_the_password_goes_to_the_keyring_never_to_the_file(paths, memory_keyring) -> None:
    remember_password("postgresql://dupont@serveur/achats", "s3cret")
    save_address(paths, "postgresql://dupont@serveur/achats")
    assert "s3cret" not in settings_path(paths).read_text(encoding="utf-8")
    assert password_from_keyring(configured_address(paths)) == "s3cret"
    assert list(memory_keyring.passwords.values()) == ["s3cret"]


def test_without_a_usable_keyring_the_password_is_refused_in_french(monkeypatch) -> None:
    from keyring.backends.fail import Keyring as NoKeyring

    with keyring_backend(NoKeyring()), pytest.raises(StorageError, match="trousseau"):
        remember_password("service=achats", "s3cret")


def test_check_connection_names_the_user_and_the_schema_revision(postgres_url) -> None:
    from sqlalchemy import create_engine

    from achatsdesk.storage.migrate import head_revision
    from achatsdesk.storage.server import ServerAddress
    from achatsdesk.storage.server_schema import ensure_server_schema
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_check")
    try:
        empty = check_connection(url)
        assert empty.user == "postgres" and empty.revision is None
        assert "seront créées" in empty.message
        address = ServerAddress.parse(url)
        engine = create_engine(address.url)
        ensure_server_schema(engine, address, None)
        engine.dispose()
        found = check_connection(url)
        assert found.revision == head_revision()
        assert f"Révision du schéma : {head_revision()} (à jour)" in found.message
        assert "« postgres »" in found.message
    finally:
        drop_database(postgres_url, url)


def test_check_connection_to_a_closed_port_says_so_in_french() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StorageError, match="ne répond pas") as refused:
        check_connection(f"postgresql://dupont@127.0.0.1:{port}/achats")
    assert "achats sur 127.0.0.1" in refused.value.message
    assert team_connection.LOCAL_LABEL == "Base locale (ce poste)"
