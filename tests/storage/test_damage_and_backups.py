"""A damaged page is caught by doctor and at start; restore and salvage; the daily and
pre-import backups (with a fake clock) and their pruning."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from achatsdesk.errors import DamagedDatabaseError
from achatsdesk.services import recovery
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.doctor import run_doctor
from achatsdesk.storage import backups, integrity, migrate

SUPPLIERS = 6000

# Damaged pages, salvage, restore and the rolling backups are those of the local SQLite file (the
# team server is backed up by pg_dump before a migration: storage/server_schema.py).
pytestmark = pytest.mark.local_file_only("damage, salvage and backups of the local SQLite file")


def _fill(db_path: Path, count: int = SUPPLIERS) -> None:
    conn = sqlite3.connect(db_path)
    # Made-up suppliers, for the test only.
    conn.executemany(
        "INSERT INTO supplier (match_key, siret_valid, name, kind, geo_precision, source, source_date, origin, "
        "sort_name, sort_commune) VALUES (?, 0, ?, 'EI', 'none', 'test', '2026', 'import', ?, '')",
        ((f"fictif-{i}", f"Fournisseur fictif {i}", f"fournisseur fictif {i}") for i in range(count)),
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _count(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM supplier WHERE match_key LIKE 'fictif-%'").fetchone()[0]
    finally:
        conn.close()


def _all_suppliers(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM supplier").fetchone()[0]
    finally:
        conn.close()


def damage_a_leaf_page(db_path: Path) -> int:
    """Flip the header bytes of one leaf page of the supplier table (a sector gone bad)."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'supplier'").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    page = root
    assert data[(root - 1) * page_size] == 0x05, "the supplier table should span several pages"
    while data[(page - 1) * page_size] == 0x05:  # interior page: down its first child to a leaf
        start = (page - 1) * page_size
        first_cell = int.from_bytes(data[start + 12:start + 14], "big")
        page = int.from_bytes(data[start + first_cell:start + first_cell + 4], "big")
    assert data[(page - 1) * page_size] == 0x0D
    leaf = page
    offset = (leaf - 1) * page_size
    for i in range(16):
        data[offset + i] ^= 0xFF
    db_path.write_bytes(bytes(data))
    return leaf


@pytest.fixture
def filled(paths, database):
    database.dispose()
    _fill(paths.database)
    return paths


def test_doctor_finds_a_damaged_page_and_changes_nothing(filled, capsys) -> None:
    from achatsdesk.cli import main

    damage_a_leaf_page(filled.database)
    before = hashlib.sha256(filled.database.read_bytes()).hexdigest()

    report = run_doctor(filled, check_qt=False)

    assert not report.ok
    assert "endommagée" in report.problems[0] and "--salvage" in report.problems[0]
    assert main(["doctor", "--no-qt"]) == 1
    assert "endommagée" in capsys.readouterr().out
    assert hashlib.sha256(filled.database.read_bytes()).hexdigest() == before


def test_the_start_refuses_a_damaged_database_and_offers_the_latest_good_backup(filled) -> None:
    daily = recovery.backup_on_close(filled)
    damage_a_leaf_page(filled.database)
    assert integrity.quick_check(filled.database)
    before = hashlib.sha256(filled.database.read_bytes()).hexdigest()

    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(filled)

    assert "endommagée" in raised.value.user_message and daily.name in raised.value.user_message
    assert raised.value.backup == daily
    assert hashlib.sha256(filled.database.read_bytes()).hexdigest() == before  # nothing written

    outcome = recovery.restore(filled, raised.value.backup)

    assert outcome.set_aside is not None and integrity.quick_check(outcome.set_aside)
    open_database(filled).dispose()
    assert _count(filled.database) == SUPPLIERS


@pytest.mark.parametrize("with_shell", [False, True], ids=["table-copy", "sqlite3-shell-if-installed"])
def test_salvage_keeps_what_is_readable_and_counts_what_is_lost(filled, monkeypatch, with_shell) -> None:
    if not with_shell:
        monkeypatch.setattr(integrity.shutil, "which", lambda name: None)
    before = _all_suppliers(filled.database)
    damage_a_leaf_page(filled.database)

    result = recovery.salvage(filled)

    # The shell's .recover is used when installed and its result passes the checks (sqlite3 3.40
    # fails on the FTS5 tables: the table copy takes over); without the shell, the table copy.
    allowed = {"sqlite3 .recover", "copie table par table"} if with_shell else {"copie table par table"}
    assert result.method in allowed
    expected = result.method
    assert integrity.integrity_check(filled.database) == []
    kept = _all_suppliers(filled.database)
    assert before - 400 < kept < before  # one leaf page of rows lost, the rest kept
    if expected == "copie table par table":
        assert result.rows_lost > 0
    assert result.set_aside is not None and integrity.quick_check(result.set_aside)
    database = open_database(filled)  # the salvaged base is a working achatsdesk base
    database.dispose()


def test_doctor_salvage_from_the_command_line(filled, capsys, monkeypatch) -> None:
    from achatsdesk.cli import main

    monkeypatch.setattr(integrity.shutil, "which", lambda name: None)
    damage_a_leaf_page(filled.database)
    assert main(["doctor", "--salvage"]) == 0
    out = capsys.readouterr().out
    assert "lignes reprises" in out and "illisibles perdues" in out
    assert main(["doctor", "--no-qt", "--json"]) == 0


def test_one_daily_backup_a_day_kept_for_the_days_set(filled) -> None:
    day = datetime(2026, 3, 1, 18, 0)
    first = recovery.backup_on_close(filled, now=day)
    assert first is not None and first.name == "achatsdesk-quotidienne-2026-03-01.sqlite3"
    assert recovery.backup_on_close(filled, now=day + timedelta(hours=3)) is None  # same day: not again
    for n in range(1, 20):
        recovery.backup_on_close(filled, now=day + timedelta(days=n), keep_days=7)
    days = sorted(b.made.date().isoformat() for b in backups.list_backups(filled.backups, "achatsdesk"))
    assert days[0] == "2026-03-13" and days[-1] == "2026-03-20" and len(days) == 8  # today and 7 days back
    assert backups.readable_backup(first.with_name("achatsdesk-quotidienne-2026-03-20.sqlite3"))


def test_the_newest_rolling_backup_stays_however_old(filled) -> None:
    recovery.backup_on_close(filled, now=datetime(2025, 1, 1))
    recovery.backup_on_close(filled, now=datetime(2025, 1, 2))
    backups.prune_rolling_backups(filled.backups, "achatsdesk", datetime(2026, 1, 1).date(), 14)
    assert [b.path.name for b in backups.list_backups(filled.backups, "achatsdesk")] == [
        "achatsdesk-quotidienne-2025-01-02.sqlite3"
    ]


def test_an_import_of_more_than_ten_thousand_rows_backs_up_the_state_before_it(paths, database, tmp_path) -> None:
    from achatsdesk.services.catalogue import import_file

    csv = tmp_path / "fournisseurs.csv"
    lines = ["Raison sociale;Siret;Type de structure;Adresse;Ville;Code Postal;Région;Département"]
    lines += [f"EXEMPLE INVENTÉ Fournisseur {i};;Entreprise d'insertion (EI);1 rue Fictive;Paris;75001;Île-de-France;75"
              for i in range(10_600)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _all_suppliers(paths.database)

    report = import_file(database, csv)

    assert _all_suppliers(paths.database) > before + 10_000, report
    made = [b for b in backups.list_backups(paths.backups, "achatsdesk") if b.kind == "import"]
    assert len(made) == 1
    assert _all_suppliers(made[0].path) == before  # the copy holds the catalogue before the import
    small = tmp_path / "petit.csv"
    small.write_text("\n".join(lines[:50]) + "\n", encoding="utf-8")
    import_file(database, small)
    assert len([b for b in backups.list_backups(paths.backups, "achatsdesk") if b.kind == "import"]) == 1


def test_the_reassurance_is_not_given_when_the_database_reports_damage() -> None:
    from sqlalchemy.exc import DatabaseError

    from achatsdesk.ui.errors import user_text

    damaged = DatabaseError("SELECT 1", {}, sqlite3.DatabaseError("database disk image is malformed"))
    assert "n'est pas perdu" not in user_text(damaged)[1]
    assert "endommagée" in user_text(damaged)[1]
    assert "n'est pas perdu" in user_text(RuntimeError("other"))[1]


def test_a_backup_is_a_private_standalone_file(filled) -> None:
    path = recovery.backup_on_close(filled)
    assert not path.with_name(path.name + "-wal").exists()
    assert migrate.current_revision(path) == migrate.head_revision()
