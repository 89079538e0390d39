"""A cancelled, failed or killed import leaves the catalogue exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from achatsdesk.catalogue import upsert
from achatsdesk.errors import Cancelled
from achatsdesk.services.catalogue import import_file
from tests.catalogue.conftest import supplier_count


def _big_file(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("raison sociale;siret;type;code postal;commune\n")
        for i in range(rows):
            handle.write(f"EXEMPLE INVENTÉ {i};;ACI;95000;Cergy\n")
    return path


def _snapshot(database) -> tuple[int, int, int]:
    with database.engine.connect() as conn:
        return (
            supplier_count(database),
            conn.exec_driver_sql("SELECT count(*) FROM supplier_fts").scalar_one(),
            conn.exec_driver_sql("SELECT count(*) FROM supplier_rtree").scalar_one(),
        )


def test_cancel_midway_changes_nothing(database, tmp_path):
    before = _snapshot(database)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 6  # after ~3 000 rows, i.e. after the first batch was written

    with pytest.raises(Cancelled):
        import_file(database, _big_file(tmp_path / "gros_MADEUP.csv", 8000), "csv", cancelled=cancelled)
    assert len(calls) > 6
    assert _snapshot(database) == before


def test_failure_midway_changes_nothing(database, tmp_path, monkeypatch):
    before = _snapshot(database)
    original = upsert.CatalogueWriter.write
    state = {"batches": 0}

    def failing(self, records):
        state["batches"] += 1
        if state["batches"] == 2:
            raise OSError("disque plein (simulé)")
        return original(self, records)

    monkeypatch.setattr(upsert.CatalogueWriter, "write", failing)
    with pytest.raises(OSError):
        import_file(database, _big_file(tmp_path / "gros_MADEUP.csv", 5000), "csv")
    assert state["batches"] == 2
    assert _snapshot(database) == before


CHILD = textwrap.dedent(
    """
    import sys
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import import_file

    def progress(done, total, message):
        if done >= 6000:  # three batches written inside the open transaction
            print("WRITING", flush=True)
            import time
            time.sleep(60)  # wait to be killed

    import_file(open_database(), sys.argv[1], "csv", progress)
    print("FINISHED", flush=True)
    """
)


def test_killed_import_leaves_the_database_intact(database, paths, tmp_path):
    before = _snapshot(database)
    database.dispose()
    source = _big_file(tmp_path / "gros_MADEUP.csv", 20000)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(source)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = child.stdout.readline().strip()
        assert line == "WRITING"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    raw = sqlite3.connect(paths.database)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("INSERT INTO supplier_fts(supplier_fts) VALUES ('integrity-check')") is not None
        counts = (
            raw.execute("SELECT count(*) FROM supplier").fetchone()[0],
            raw.execute("SELECT count(*) FROM supplier_fts").fetchone()[0],
            raw.execute("SELECT count(*) FROM supplier_rtree").fetchone()[0],
        )
    finally:
        raw.close()
    assert counts == before
