"""Two colleagues on one real PostgreSQL database: each their own login role, their own
workstation (local file) and their own Database (engine), as two windows in two offices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from achatsdesk.paths import AppPaths
from achatsdesk.storage.database import Database
from tests.postgres_server import workstation_paths


@dataclass
class Colleague:
    role: str
    database: Database
    paths: AppPaths  # their workstation (local file, settings)


@pytest.fixture
def team_url(postgres_url: str):
    """A new, empty team database with the schema, made by the superuser (as ``team init`` would)."""
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_together")
    yield url
    drop_database(postgres_url, url)


def _grant_login_role(admin_url: str, role: str) -> None:
    """A login role that may read and write the shared tables. BYPASSRLS: these tests are about
    concurrency and notifications, not rights (those are tested with the group roles)."""
    from tests.postgres_server import admin_engine

    engine = admin_engine(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN BYPASSRLS'))
        conn.execute(text(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    engine.dispose()


def _drop_role(postgres_url: str, role: str) -> None:
    from tests.postgres_server import admin_engine

    engine = admin_engine(postgres_url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()


@pytest.fixture
def team(team_url: str, postgres_url: str, tmp_path: Path, _template_database: Path):
    """Alice and Bob, each connected as their own role to the same team database."""
    from achatsdesk.services.bootstrap import open_database

    schema = open_database(workstation_paths(tmp_path / "admin", _template_database), server=team_url)
    schema.dispose()
    suffix = uuid.uuid4().hex[:6]
    people: list[Colleague] = []
    try:
        for name in ("alice", "bob"):
            role = f"{name}_{suffix}"
            _grant_login_role(team_url, role)
            url = make_url(team_url).set(username=role).render_as_string(hide_password=False)
            paths = workstation_paths(tmp_path / name, _template_database)
            people.append(Colleague(role, open_database(paths, server=url), paths))
        yield people
    finally:
        for colleague in people:
            colleague.database.dispose()
        from tests.postgres_server import drop_database

        drop_database(postgres_url, team_url)
        for colleague in people:
            _drop_role(postgres_url, colleague.role)
