"""The team server's schema (issue 18, Done-when 5): the chain from empty to head on PostgreSQL;
an older server database is migrated only by an administrator, after a pg_dump backup, and
refused with the command to run otherwise (a buyer, or no pg_dump on the workstation)."""

from __future__ import annotations

import shutil
import subprocess

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from achatsdesk.storage.migrate import head_revision, known_revisions, run_upgrade
from achatsdesk.storage.models import SHARED_TABLES, Base
from achatsdesk.storage.server import ServerAddress, make_server_engine
from achatsdesk.storage.server_schema import backup_server, server_revision
from tests.conftest import EXAMPLE_DOSSIER
from tests.team.conftest import add_person, run

OLDER = "0010_execution"


def _engine(url: str):
    return make_server_engine(ServerAddress.parse(url))


def _upgrade(url: str, target: str) -> None:
    engine = _engine(url)
    run_upgrade(engine, target, reached=lambda: server_revision(engine))
    engine.dispose()


def _revision(url: str) -> str | None:
    engine = _engine(url)
    try:
        return server_revision(engine)
    finally:
        engine.dispose()


def test_the_migration_chain_runs_from_empty_to_head_on_postgresql(server_database):
    url = server_database.url
    assert _revision(url) is None
    for step in known_revisions():  # every revision on its own, as an older server meets them
        _upgrade(url, step)
        assert _revision(url) == step
    assert _revision(url) == head_revision()
    engine = _engine(url)
    with engine.connect() as conn:
        assert SHARED_TABLES <= set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = [d for d in compare_metadata(context, Base.metadata) if _shared(d)]
        triggers = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    engine.dispose()
    assert diff == [], f"the shared tables on PostgreSQL differ from the models: {diff}"
    assert {"dossier_stamp", "dossier_history", "dossier_review_history"} <= triggers


def _shared(difference) -> bool:
    item = difference[0] if isinstance(difference, list) else difference
    for part in item:
        table = getattr(part, "table", None)
        name = getattr(table, "name", None) or getattr(part, "name", None)
        if isinstance(name, str) and name in SHARED_TABLES:
            return True
    return False


def test_an_older_server_database_is_backed_up_with_pg_dump_then_migrated_by_an_admin(server_database, local_home,
                                                                                     capsys):
    _upgrade(server_database.url, OLDER)
    code, out, err = run(capsys, "--database", server_database.url, "dossier", "list")  # the superuser
    assert code == 0, err
    assert _revision(server_database.url) == head_revision()
    dumps = list(local_home.backups.glob("serveur-avant-*.dump"))
    assert len(dumps) == 1 and dumps[0].stat().st_size > 0
    listing = subprocess.run(["pg_restore", "--list", str(dumps[0])], capture_output=True, text=True, check=True)
    assert "TABLE public dossier " in listing.stdout and "0010_execution" not in dumps[0].name


def test_an_older_server_database_is_refused_to_a_buyer_with_the_command(server_database, local_home, capsys):
    from tests.postgres_server import admin_engine

    _upgrade(server_database.url, OLDER)
    buyer = server_database.name("acheteur")
    server_database.people.append(buyer)
    engine = admin_engine(server_database.url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{buyer}" LOGIN'))
    code, _, err = run(capsys, "--database", server_database.url_of(buyer), "dossier", "list")
    assert code == 1 and "aucun droit sur la base de l'équipe" in err and "team add-user" in err
    with engine.connect() as conn:  # as `team init` granted it on the older version
        conn.execute(text(f'GRANT SELECT ON alembic_version TO "{buyer}"'))
    engine.dispose()
    code, _, err = run(capsys, "--database", server_database.url_of(buyer), "dossier", "list")
    assert code == 1
    assert "seul un administrateur achatsdesk peut la mettre à jour" in err
    assert "achatsdesk-cli --database postgresql://" in err and "team init" in err
    assert _revision(server_database.url) == OLDER  # untouched
    assert not list(local_home.backups.glob("serveur-*"))


def test_without_pg_dump_an_older_server_database_is_refused_with_the_command(server_database, local_home, capsys,
                                                                               monkeypatch):
    _upgrade(server_database.url, OLDER)
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "pg_dump" else which(name, *a, **k))
    code, _, err = run(capsys, "--database", server_database.url, "dossier", "list")
    assert code == 1
    assert "pg_dump est introuvable" in err and "« pg_dump --format=custom --enable-row-security --file=" in err
    assert _revision(server_database.url) == OLDER
    assert not list(local_home.backups.glob("serveur-*"))


def test_an_admin_who_is_not_superuser_can_back_up_the_team_database(team, local_home, capsys):
    """Row-level security is forced on the owners too: pg_dump as an administrator still dumps every row."""
    buyer = add_person(capsys, team, "acheteur", "acheteur", service="Achats")
    admin = add_person(capsys, team, "admin", "admin")
    code, _, err = run(capsys, "--database", team.url_of(buyer), "dossier", "import",
                       str(EXAMPLE_DOSSIER))
    assert code == 0, err
    target = backup_server(ServerAddress.parse(team.url_of(admin)), local_home.backups, "essai")
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public dossier " in listing.stdout
    restored = subprocess.run(["pg_restore", "--data-only", "--table=dossier", "--file=-", str(target)],
                              capture_output=True, text=True, check=True)
    assert "Nettoyage des collèges" in restored.stdout


def test_an_admin_who_is_not_superuser_owns_the_schema_and_runs_team_init_again(team, capsys):
    """After the first `team init` the tables belong to achatsdesk_admin: any administrator migrates."""
    from achatsdesk.storage.server_schema import may_migrate

    admin = add_person(capsys, team, "admin", "admin")
    buyer = add_person(capsys, team, "acheteur", "acheteur")
    for person, allowed in ((admin, True), (buyer, False)):
        engine = _engine(team.url_of(person))
        assert may_migrate(engine) is allowed
        engine.dispose()
    code, out, err = run(capsys, "--database", team.url_of(admin), "team", "init")
    assert code == 0, err
    engine = team.engine_of(admin)
    with engine.connect() as conn:  # what a migration does, as this administrator
        conn.execute(text("ALTER TABLE dossier ADD COLUMN essai integer"))
        conn.execute(text("CREATE TABLE essai_nouvelle (id integer)"))
        conn.rollback()
    engine.dispose()
    _refused_ddl(team.engine_of(buyer), "ALTER TABLE dossier ADD COLUMN essai integer")


def _refused_ddl(engine, statement: str) -> None:
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text(statement))
    assert isinstance(caught.value.orig, psycopg.errors.InsufficientPrivilege)
    engine.dispose()


def test_a_migration_of_a_team_database_puts_its_rights_back(team, local_home, capsys, monkeypatch):
    """An older team database (rules installed) migrated at an opening gets team_init.sql again."""
    from achatsdesk.storage import server_schema

    applied = []
    real = server_schema.apply_team_rules
    monkeypatch.setattr(server_schema, "apply_team_rules", lambda engine: (applied.append(1), real(engine)))
    engine = _engine(team.url)
    with engine.begin() as conn:  # as if this version brought a migration after the stamp
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": known_revisions()[-2]})
        conn.execute(text("DROP POLICY dossier_of_my_services ON dossier"))
    engine.dispose()
    monkeypatch.setattr(server_schema, "run_upgrade", lambda engine, target, reached: _stamp_head(engine))
    code, _, err = run(capsys, "--database", team.url, "dossier", "list")
    assert code == 0, err
    assert applied == [1] and list(local_home.backups.glob("serveur-avant-*.dump"))
    engine = _engine(team.url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_policies WHERE policyname = 'dossier_of_my_services'")).scalar() == 1
    engine.dispose()


def _stamp_head(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": head_revision()})
