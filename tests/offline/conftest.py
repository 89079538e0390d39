"""Team mode against a real PostgreSQL server: my workstation and a colleague's, each with its own
local file, sharing one server database made for this module."""

from __future__ import annotations

from pathlib import Path

import pytest

from achatsdesk.paths import AppPaths
from tests.postgres_server import empty_shared_tables, workstation_paths


@pytest.fixture(scope="module")
def server_url(postgres_url: str):
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_offline")
    yield url
    drop_database(postgres_url, url)


@pytest.fixture
def mine_paths(tmp_path: Path, _template_database: Path) -> AppPaths:
    return workstation_paths(tmp_path / "mine", _template_database)


@pytest.fixture
def mine(mine_paths: AppPaths, server_url: str):
    """My workstation: its own local file, in team mode on the server."""
    from achatsdesk.services.bootstrap import open_database

    empty_shared_tables(server_url)
    database = open_database(mine_paths, server=server_url)
    yield database
    database.dispose()


@pytest.fixture
def colleague(tmp_path: Path, server_url: str, _template_database: Path, mine):
    """A colleague's workstation on the same server."""
    from achatsdesk.services.bootstrap import open_database

    database = open_database(workstation_paths(tmp_path / "colleague", _template_database), server=server_url)
    yield database
    database.dispose()
