"""Schema migrations: an upgraded empty database matches the models; a backup comes
first; a database from a newer version is refused and left untouched."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from achatsdesk.errors import NewerDatabaseError
from achatsdesk.storage import migrate
from achatsdesk.storage.database import make_engine
from achatsdesk.storage.models import Base

_VIRTUAL = re.compile(r"_(fts|rtree)(_.*)?$")


def _ignore_virtual(obj, name, type_, reflected, compare_to) -> bool:
    """FTS5 and R*Tree virtual tables (and their shadow tables) live outside the ORM."""
    return not (type_ == "table" and name and _VIRTUAL.search(name))


def test_revision_ids_are_file_names_and_form_one_chain() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [migrate.head_revision()]
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert chain == migrate.known_revisions()


def test_empty_database_upgraded_to_head_matches_models(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh.sqlite3"
    outcome = migrate.ensure_schema(db_path, tmp_path / "backups")
    assert outcome.previous is None and outcome.current == migrate.head_revision()
    engine = make_engine(db_path)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _ignore_virtual}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"migrations and models disagree: {diff}"


def test_database_at_head_is_not_backed_up_again(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.ensure_schema(db_path, tmp_path / "backups")
    outcome = migrate.ensure_schema(db_path, tmp_path / "backups")
    assert not outcome.migrated and outcome.backup is None
    assert not list((tmp_path / "backups").glob("*"))


def test_older_database_is_backed_up_before_upgrade(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    first = migrate.known_revisions()[0]
    migrate.upgrade_to_head(db_path, target=first)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO region (code, name) VALUES ('11', 'Île-de-France')")
    conn.commit()
    conn.close()

    outcome = migrate.ensure_schema(db_path, tmp_path / "backups")

    assert outcome.previous == first and outcome.current == migrate.head_revision()
    assert outcome.backup is not None and outcome.backup.exists()
    backup = sqlite3.connect(outcome.backup)
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
        assert backup.execute("SELECT name FROM region").fetchall() == [("Île-de-France",)]
    finally:
        backup.close()


def test_newer_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.ensure_schema(db_path, tmp_path / "backups")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    with pytest.raises(NewerDatabaseError) as raised:
        migrate.ensure_schema(db_path, tmp_path / "backups")

    assert "version plus récente" in raised.value.user_message
    assert "n'a pas été modifiée" in raised.value.user_message
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_a_file_that_is_not_a_database_gets_a_french_error(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    db_path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(Exception) as raised:
        migrate.ensure_schema(db_path, tmp_path / "backups")
    assert "base achatsdesk lisible" in str(raised.value)


@pytest.mark.local_file_only("the PRAGMAs of the local SQLite file")
def test_wal_and_foreign_keys_are_on(database) -> None:
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_suppliers_get_their_sort_keys_when_upgraded(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0005_insertion_sizing")
    conn = sqlite3.connect(db_path)
    # Made-up suppliers, for the test only.
    conn.executemany(
        "INSERT INTO supplier (id, match_key, siret_valid, name, kind, commune, geo_precision, source, source_date, "
        "origin) VALUES (?, ?, 0, ?, 'EI', ?, 'none', 'test', '2026', 'import')",
        [(1, "k1", "ÉCO-Services Fictifs", "Élancourt"), (2, "k2", "atelier fictif", None)],
    )
    conn.commit()
    conn.close()

    migrate.ensure_schema(db_path, tmp_path / "backups")

    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, sort_name, sort_commune FROM supplier ORDER BY sort_name").fetchall()
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT id FROM supplier ORDER BY sort_name, id LIMIT 50").fetchall()
    finally:
        conn.close()
    assert rows == [(2, "atelier fictif", ""), (1, "eco-services fictifs", "elancourt")]
    assert any("ix_supplier_sort_name" in str(step) for step in plan)  # no sort of the whole table


def test_0016_names_the_lines_of_existing_lists_by_catalogue_key(tmp_path: Path) -> None:
    """A list made before the lists could be shared keeps its lines, each with its supplier's key and
    fields; a made-up supplier (fictif)."""
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0015_catalogue_release")
    conn = sqlite3.connect(db_path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(supplier)")}
    values = {"match_key": "12345678900011|ACI", "siret": "12345678900011", "siret_valid": 0,
              "name": "Atelier fictif", "kind": "ACI", "commune": "Pontoise", "postcode": "95000",
              "geo_precision": "none", "source": "fictif", "source_date": "2026-06", "origin": "import",
              "sort_name": "atelier fictif", "sort_commune": "pontoise"}
    values = {k: v for k, v in values.items() if k in columns}
    conn.execute(f"INSERT INTO supplier (id, {', '.join(values)}) VALUES (7, {', '.join('?' * len(values))})",
                 tuple(values.values()))
    conn.execute("INSERT INTO shortlist (id, name, created_at) VALUES (3, 'Liste fictive', '2026-11-30T10:00:00')")
    conn.execute("INSERT INTO shortlist_item (shortlist_id, supplier_id, note, added_at) "
                 "VALUES (3, 7, 'à appeler', '2026-11-30T10:05:00')")
    conn.commit()
    conn.close()

    migrate.ensure_schema(db_path, tmp_path / "backups")

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT shortlist_id, match_key, siret, name, kind, commune, postcode, source, "
                            "source_date, note, added_at FROM shortlist_entry").fetchall() == [
            (3, "12345678900011|ACI", "12345678900011", "Atelier fictif", "ACI", "Pontoise", "95000", "fictif",
             "2026-06", "à appeler", "2026-11-30T10:05:00")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "shortlist_item" not in tables
    finally:
        conn.close()


def test_0017_writes_each_suppliers_kind_into_the_text_index_and_takes_it_out_going_down(tmp_path: Path) -> None:
    """Made-up suppliers (fictif), indexed as 0016 indexed them: 0017 rebuilds the index with the kind's
    token after the map token, the search of words near a place with a kind meets it, and going down
    rebuilds the index as it was."""
    from achatsdesk.storage.supplier_index import fill_text_index

    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0016_shared_shortlists")
    conn = sqlite3.connect(db_path)
    conn.executemany(
        "INSERT INTO supplier (id, match_key, siret_valid, name, kind, commune, latitude, longitude, geo_precision, "
        "source, source_date, origin) VALUES (?, ?, 0, ?, ?, 'Pontoise', ?, ?, 'address', 'fictif', '2026', 'import')",
        [(1, "k1|ACI", "Atelier fictif", "ACI", 49.05, 2.10), (2, "k2|ESAT", "Atelier protégé fictif", "ESAT", None, None)],
    )
    fill_text_index(conn, kinds=False)  # as 0012-0016 wrote it
    conn.commit()
    before = conn.execute("SELECT rowid, cells FROM supplier_fts ORDER BY rowid").fetchall()
    conn.close()
    assert before == [(1, "γu09r"), (2, "")]

    migrate.ensure_schema(db_path, tmp_path / "backups")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT rowid, name, cells FROM supplier_fts ORDER BY rowid").fetchall() == [
            (1, "Atelier fictif", "γu09r κaci"), (2, "Atelier protégé fictif", "κesat")]
        found = conn.execute("SELECT rowid FROM supplier_fts WHERE supplier_fts MATCH ?",
                             ('({name} : "atel"*) AND ({cells} : ("κesat" OR "κei"))',)).fetchall()
        assert found == [(2,)]
    finally:
        conn.close()

    _downgrade(db_path, "0016_shared_shortlists")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT rowid, cells FROM supplier_fts ORDER BY rowid").fetchall() == before
    finally:
        conn.close()


def _downgrade(db_path: Path, target: str) -> None:
    """Alembic's downgrade, on a connection handed to env.py as run_upgrade hands it."""
    from alembic import command

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    engine = migrate.migration_engine(db_path)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, target)
    finally:
        engine.dispose()
    assert migrate.current_revision(db_path) == target
