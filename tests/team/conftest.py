"""Team mode on a real PostgreSQL server: a fresh database per test, people added as roles.

PostgreSQL roles belong to the whole cluster, not to a database: every test names its
people with a suffix of its own and drops them at the end (the achatsdesk_* groups stay,
`team init` finds them and carries on).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from achatsdesk.cli import main
from achatsdesk.paths import AppPaths


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class TeamServer:
    """A fresh team database; ``url`` connects as the superuser, ``url_of(name)`` as a person."""

    url: str
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    people: list[str] = field(default_factory=list)

    def name(self, base: str) -> str:
        return f"{base}_{self.suffix}"

    def url_of(self, name: str) -> str:
        return make_url(self.url).set(username=name).render_as_string(hide_password=False)

    def engine_of(self, name: str):
        from sqlalchemy import create_engine

        return create_engine(self.url_of(name).replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture
def local_home(paths: AppPaths, _template_database: Path) -> AppPaths:
    """The workstation's local file, ready (a copy of the suite's template: no reference data load)."""
    shutil.copyfile(_template_database, paths.database)
    return paths


@pytest.fixture
def server_database(postgres_url: str):
    """A fresh, empty database on the server, dropped after the test with the people it made."""
    from sqlalchemy import text

    from tests.postgres_server import admin_engine, create_database, drop_database

    server = TeamServer(create_database(postgres_url, "achatsdesk_team"))
    yield server
    drop_database(postgres_url, server.url)
    engine = admin_engine(postgres_url)
    with engine.connect() as conn:
        for person in server.people:
            conn.execute(text(f'DROP ROLE IF EXISTS "{person}"'))
    engine.dispose()


@pytest.fixture
def team(server_database: TeamServer, local_home: AppPaths, capsys) -> TeamServer:
    """``team init`` done by the superuser through the command line."""
    code, out, err = run(capsys, "--database", server_database.url, "team", "init")
    assert code == 0, err
    assert "achatsdesk_chef" in out
    return server_database


def add_person(capsys, team: TeamServer, base: str, role: str, service: str | None = None) -> str:
    """``team add-user`` through the command line, as the superuser; the person's role name."""
    name = team.name(base)
    team.people.append(name)
    argv = ["--database", team.url, "team", "add-user", name, "--role", role]
    if service:
        argv += ["--service", service]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert name in out
    return name
