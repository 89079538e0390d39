"""Upgrades that cannot half-happen: every migration statement inside a transaction,
a failing migration leaves the revision before, kills during an upgrade leave a
database whose stamp and structure agree, a half-migrated database is named as
such and restored in one step; one pre-upgrade backup per target revision."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from achatsdesk.errors import HalfMigratedError, MigrationError
from achatsdesk.storage import backups, migrate
from achatsdesk.storage.schema_shape import shape_differences
from tests.sigkill import assert_intact

OLD = "0004_clauses"
SUPPLIERS = 100_000  # enough for the upgrade to take a second or so (0006 folds every name)


def _revision(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _columns(db_path: Path, table: str) -> set[str]:
    conn = sqlite3.connect(db_path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def _fill_suppliers(db_path: Path, count: int) -> None:
    conn = sqlite3.connect(db_path)
    # Made-up suppliers, for the test only.
    conn.executemany(
        "INSERT INTO supplier (id, match_key, siret_valid, name, kind, commune, geo_precision, source, "
        "source_date, origin) VALUES (?, ?, 0, ?, 'EI', 'Saint-Étienne', 'none', 'test', '2026', 'import')",
        ((i, f"k{i}", f"Entreprise fictive Éléphant {i}") for i in range(1, count + 1)),
    )
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def old_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built with the migration chain stopped at 0004, then filled."""
    path = tmp_path_factory.mktemp("old-db") / "achatsdesk.sqlite3"
    migrate.upgrade_to_head(path, target=OLD)
    _fill_suppliers(path, SUPPLIERS)
    return path


def test_every_statement_of_every_migration_runs_inside_a_transaction(tmp_path: Path, monkeypatch) -> None:
    outside: list[str] = []
    seen: list[str] = []
    original = migrate.migration_engine

    def watched(db_path: Path):
        engine = original(db_path)

        @event.listens_for(engine, "before_cursor_execute")
        def _record(conn, cursor, statement, parameters, context, executemany) -> None:
            seen.append(statement)
            if statement.strip().upper() != "BEGIN IMMEDIATE" and not conn.connection.dbapi_connection.in_transaction:
                outside.append(statement)

        return engine

    monkeypatch.setattr(migrate, "migration_engine", watched)
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0005_insertion_sizing")
    _fill_suppliers(db_path, 20)  # so that the data migration of 0006 has rows to update
    migrate.upgrade_to_head(db_path)

    assert any("ALTER TABLE" in s for s in seen) and any("UPDATE supplier" in s for s in seen)
    assert outside == []


def test_a_migration_failing_halfway_leaves_the_old_revision_and_schema(tmp_path: Path, monkeypatch) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0005_insertion_sizing")
    _fill_suppliers(db_path, 12_000)
    calls = {"n": 0}
    from achatsdesk.domain import text

    real_fold = text.fold

    def failing_fold(value: str) -> str:  # 0006 has added its columns and updated a batch when this fails
        calls["n"] += 1
        if calls["n"] > 11_000:
            raise RuntimeError("boom in the middle of 0006")
        return real_fold(value)

    monkeypatch.setattr(text, "fold", failing_fold)
    with pytest.raises(MigrationError) as raised:
        migrate.ensure_schema(db_path, tmp_path / "backups")

    assert calls["n"] > 11_000
    assert "restée dans son état précédent" in raised.value.user_message
    assert _revision(db_path) == "0005_insertion_sizing"
    assert "sort_name" not in _columns(db_path, "supplier")
    assert shape_differences(db_path, "0005_insertion_sizing") == []


def test_a_failure_after_an_applied_migration_leaves_the_revision_before_the_upgrade(tmp_path: Path, monkeypatch) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target=OLD)
    _fill_suppliers(db_path, 10)
    from achatsdesk.domain import text

    def failing_fold(value: str) -> str:
        raise RuntimeError("0006 fails")

    monkeypatch.setattr(text, "fold", failing_fold)
    with pytest.raises(MigrationError) as raised:
        migrate.ensure_schema(db_path, tmp_path / "backups")

    # 0005 applied fine before 0006 failed: the one transaction of the upgrade takes it back too.
    assert "restée dans son état précédent" in raised.value.user_message
    assert _revision(db_path) == OLD
    assert shape_differences(db_path, OLD) == []
    assert "insertion_json" not in _columns(db_path, "dossier")  # 0005's column went back with it
    monkeypatch.undo()
    assert migrate.ensure_schema(db_path, tmp_path / "backups").current == migrate.head_revision()


def test_failed_attempts_make_one_backup_per_target_revision(tmp_path: Path, monkeypatch) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0005_insertion_sizing")
    from achatsdesk.domain import text

    _fill_suppliers(db_path, 3)
    monkeypatch.setattr(text, "fold", lambda value: 1 / 0)
    for _attempt in range(3):
        with pytest.raises(MigrationError):
            migrate.ensure_schema(db_path, tmp_path / "backups")
    files = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert files == [f"db-avant-{migrate.head_revision()}.sqlite3"]


def test_only_the_three_latest_target_revisions_keep_their_pre_upgrade_backup(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target=OLD)
    folder = tmp_path / "backups"
    for target in ["0002_catalogue", "0003_dossiers", OLD, "0005_insertion_sizing"]:
        backups.pre_upgrade_backup(db_path, folder, target)
    targets = sorted(b.target_revision for b in backups.list_backups(folder, "db"))
    assert targets == ["0003_dossiers", OLD, "0005_insertion_sizing"]


def _half_migrated_by_hand(db_path: Path, folder: Path) -> Path:
    """What an achatsdesk from before transactional upgrades left: 0005's column, stamp still 0004."""
    backup = migrate.backup_database(db_path, folder)
    conn = sqlite3.connect(db_path)
    conn.execute("ALTER TABLE dossier ADD COLUMN insertion_json TEXT")
    conn.commit()
    conn.close()
    return backup


def test_a_half_migrated_database_is_named_so_and_restored_in_one_step(tmp_path: Path) -> None:
    db_path = tmp_path / "achatsdesk.sqlite3"
    folder = tmp_path / "backups"
    migrate.upgrade_to_head(db_path, target=OLD)
    _fill_suppliers(db_path, 5)
    backup = _half_migrated_by_hand(db_path, folder)

    with pytest.raises(HalfMigratedError) as raised:
        migrate.ensure_schema(db_path, folder)

    message = raised.value.user_message
    assert "restée à moitié mise à jour" in message and "état précédent" not in message
    assert "doctor --restore-backup" in message and backup.name in message
    assert raised.value.backup == backup
    assert "insertion_json" in raised.value.detail

    kept = backups.restore_backup(db_path, folder, raised.value.backup)

    assert kept is not None and "insertion_json" in _columns(kept, "dossier")  # the broken one is kept aside
    outcome = migrate.ensure_schema(db_path, folder)
    assert outcome.previous == OLD and outcome.current == migrate.head_revision()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM supplier").fetchone()[0] == 5
    conn.close()


def test_a_zero_length_or_foreign_sqlite_file_is_refused_not_adopted(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(MigrationError) as raised:
        migrate.ensure_schema(empty, tmp_path / "backups")
    assert "vide (0 octet)" in raised.value.user_message
    assert empty.stat().st_size == 0

    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recettes (nom TEXT)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(MigrationError) as raised:
        migrate.ensure_schema(foreign, tmp_path / "backups")
    assert "pas été créée par achatsdesk" in raised.value.user_message
    assert foreign.read_bytes() == before


_CLI = [sys.executable, "-m", "achatsdesk.cli", "doctor", "--no-qt", "--json"]


def test_killing_the_cli_during_an_upgrade_never_leaves_a_half_upgraded_database(
    tmp_path: Path, old_database: Path
) -> None:
    chance = random.Random(13)
    reached: list[str] = []
    for attempt in range(10):
        home = tmp_path / f"home{attempt}"
        (home / "data").mkdir(parents=True)
        db_path = home / "data" / "achatsdesk.sqlite3"
        shutil.copyfile(old_database, db_path)
        env = {**os.environ, "ACHATSDESK_HOME": str(home), "PYTHONPATH": os.getcwd()}
        process = subprocess.Popen(_CLI, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            # The pre-upgrade backup appears just before the first migration starts.
            while not list((home / "backups").glob("*-avant-*.sqlite3")) and process.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            time.sleep(chance.uniform(0.0, 1.2))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)

        revision = _revision(db_path)
        reached.append(revision)
        assert revision in (OLD, migrate.head_revision()), f"kill {attempt}: left at {revision}"
        assert shape_differences(db_path, revision) == [], f"kill {attempt}: stamp {revision} but another schema"
        assert_intact(db_path)
        again = subprocess.run(_CLI, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert _revision(db_path) == migrate.head_revision()
        assert len(list((home / "backups").glob("*-avant-*.sqlite3"))) == 1  # not one per attempt
    assert any(revision != migrate.head_revision() for revision in reached), reached  # kills did land mid-upgrade


def test_doctor_restore_backup_puts_the_pre_upgrade_copy_back(paths, capsys) -> None:
    from achatsdesk.cli import main

    migrate.upgrade_to_head(paths.database, target=OLD)
    _fill_suppliers(paths.database, 7)
    backup = _half_migrated_by_hand(paths.database, paths.backups)
    assert main(["doctor", "--no-qt"]) == 1
    assert "à moitié mise à jour" in capsys.readouterr().out

    assert main(["doctor", "--restore-backup"]) == 0

    out = capsys.readouterr().out
    assert backup.name in out and "gardée" in out
    assert main(["doctor", "--no-qt", "--json"]) == 0
    assert _revision(paths.database) == migrate.head_revision()


def test_old_per_attempt_backups_are_found_and_their_duplicates_pruned(tmp_path: Path) -> None:
    db_path = tmp_path / "achatsdesk.sqlite3"
    migrate.upgrade_to_head(db_path, target=OLD)
    folder = tmp_path / "backups"
    for stamp in ("20261101-101010-000001", "20261102-101010-000001"):  # what versions before 0.2 wrote
        backups.online_copy(db_path, folder / f"achatsdesk-{stamp}-{OLD}.sqlite3")
    newest = backups.find_pre_upgrade_backup(db_path, folder, OLD)
    assert newest is not None and "20261102" in newest.path.name

    backups.pre_upgrade_backup(db_path, folder, migrate.head_revision())

    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"achatsdesk-20261102-101010-000001-{OLD}.sqlite3", f"achatsdesk-avant-{migrate.head_revision()}.sqlite3"]


def test_the_cli_writes_the_detail_its_message_points_at_to_the_journal(paths, capsys, monkeypatch) -> None:
    import logging

    from achatsdesk.cli import main

    root = logging.getLogger()  # another test's journal handler would catch the line elsewhere
    monkeypatch.setattr(root, "handlers", [h for h in root.handlers if not getattr(h, "_achatsdesk", False)])

    conn = sqlite3.connect(paths.database)
    conn.execute("CREATE TABLE recettes (nom TEXT)")  # another program's base
    conn.commit()
    conn.close()

    assert main(["dossier", "list"]) == 1

    assert "pas été créée par achatsdesk" in capsys.readouterr().err
    journal = (paths.logs / "achatsdesk.log").read_text(encoding="utf-8")
    assert "MigrationError" in journal and "recettes" in journal


def test_migrations_run_with_foreign_keys_off_and_guarded(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    migrate.upgrade_to_head(db_path, target="0005_insertion_sizing")
    _fill_suppliers(db_path, 3)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO supplier_sector (supplier_id, sector_id, origin) VALUES (999999, 1, 'import')")
    conn.commit()  # an orphan left by some old bug: it must not lock the user out of upgrades
    conn.close()

    migrate.upgrade_to_head(db_path)

    assert _revision(db_path) == migrate.head_revision()
    engine = migrate.migration_engine(db_path)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            guard = migrate.foreign_key_guard(connection)  # the orphan above is its baseline
            with connection.begin():
                guard(ctx=None, step="baseline", heads=set(), run_args={})
                connection.exec_driver_sql(
                    "INSERT INTO shortlist_entry (shortlist_id, match_key, name, kind, note, added_at) "
                    "VALUES (4242, 'x|ACI', 'x', 'ACI', '', '')"
                )
                with pytest.raises(RuntimeError, match="without their parent"):
                    guard(ctx=None, step="0099_bad", heads=set(), run_args={})
                connection.rollback()
    finally:
        engine.dispose()
