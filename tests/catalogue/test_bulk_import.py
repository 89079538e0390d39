"""A large import (staged, applied in bulk) writes what the row-by-row writer writes, and a kill
before its commit leaves the catalogue as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from stdnum import luhn

from achatsdesk.catalogue import bulk_upsert
from achatsdesk.services.catalogue import import_file, search_suppliers

_COMMUNES = [("95000", "Cergy", "95127"), ("69001", "Lyon", "69123"), ("13001", "Marseille", "13055")]


def _luhn(body: str) -> str:
    """``body`` with its Luhn check digit (python-stdnum), as a real SIRET has."""
    return body + luhn.calc_check_digit(body)


def _file(path: Path, rows: int, start: int = 0, suffix: str = "") -> Path:
    """SYNTHETIC suppliers (made-up names and SIRETs); every 7th row without SIRET, some with a NAF code."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("raison sociale;siret;type;naf;code postal;commune;code insee\n")
        for i in range(start, start + rows):
            postcode, commune, insee = _COMMUNES[i % 3]
            siret = "" if i % 7 == 0 else _luhn(f"{700000000 + i:09d}0001")
            naf = ["8121Z", "8130Z", ""][i % 3]
            handle.write(f"EXEMPLE INVENTÉ {i} ATELIER{suffix};{siret};{'ACI' if i % 2 else 'ESAT'};{naf};{postcode};{commune};{insee}\n")
    return path


def _state(database) -> dict:
    with database.engine.connect() as conn:
        q = conn.exec_driver_sql
        return {
            "suppliers": q("SELECT match_key, name, kind, naf, commune, insee, latitude, longitude, sort_name, sort_commune "
                           "FROM supplier ORDER BY match_key").all(),
            "sectors": q("SELECT s.match_key, l.sector_id, l.origin FROM supplier_sector l JOIN supplier s ON s.id = l.supplier_id "
                         "ORDER BY 1, 2").all(),
            "text": q("SELECT s.match_key, f.name, f.commune, f.cells FROM supplier_fts f JOIN supplier s ON s.id = f.rowid "
                      "ORDER BY 1").all(),
            "sector_words": sorted((k, tuple(sorted(w.split()))) for k, w in q(
                "SELECT s.match_key, f.sectors FROM supplier_fts f JOIN supplier s ON s.id = f.rowid").all()),
            "map": q("SELECT s.match_key, r.min_lat, r.min_lon FROM supplier_rtree r JOIN supplier s ON s.id = r.id "
                     "ORDER BY 1").all(),
            "indexes": q("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'supplier' ORDER BY name").all(),
        }


def test_bulk_and_row_by_row_imports_write_the_same_catalogue(database, tmp_path, monkeypatch):
    source = _file(tmp_path / "gros_SYNTHETIC.csv", 6000)
    again = _file(tmp_path / "suite_SYNTHETIC.csv", 3000, start=4500, suffix=" BIS")
    row_by_row = [import_file(database, source, "csv"), import_file(database, again, "csv")]
    expected = _state(database)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM supplier_fts WHERE rowid IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier_rtree WHERE id IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier_sector WHERE supplier_id IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier WHERE origin = 'import'")
    monkeypatch.setattr(bulk_upsert, "BULK_THRESHOLD", 10)
    monkeypatch.setattr("achatsdesk.catalogue.importer.BULK_THRESHOLD", 10)
    bulk = [import_file(database, source, "csv"), import_file(database, again, "csv")]
    assert [(r.added, r.updated, r.unchanged, r.rejected) for r in bulk] == [
        (r.added, r.updated, r.unchanged, r.rejected) for r in row_by_row]
    assert bulk[1].updated > 1000 and bulk[1].added > 1000  # rows 4500-5999 again, renamed
    assert _state(database) == expected
    with sqlite3.connect(database.engine.url.database) as raw:
        raw.execute("INSERT INTO supplier_fts (supplier_fts) VALUES ('integrity-check')")
        assert raw.execute("SELECT v FROM supplier_fts_config WHERE k = 'automerge'").fetchone() == (4,)
    found = search_suppliers(database, "exemple atelier bis", near="Lyon", radius_km=10)
    assert found.total == 1000 and all("BIS" in h.name for h in found.hits)


CHILD = textwrap.dedent(
    """
    import sys
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import import_file

    def progress(done, total, message):
        if message == "Index construits":  # every row and index written, nothing committed
            print("WRITTEN", flush=True)
            import time
            time.sleep(60)  # wait to be killed

    import_file(open_database(), sys.argv[1], "csv", progress)
    print("FINISHED", flush=True)
    """
)


def test_killed_large_import_leaves_the_catalogue_unchanged(database, paths, tmp_path):
    def snapshot(raw):
        return (raw.execute("SELECT count(*), max(id) FROM supplier").fetchone(),
                raw.execute("SELECT count(*) FROM supplier_fts").fetchone(),
                raw.execute("SELECT count(*) FROM supplier_rtree").fetchone(),
                raw.execute("SELECT count(*) FROM supplier_sector").fetchone(),
                raw.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'supplier' ORDER BY name").fetchall())

    with sqlite3.connect(paths.database) as raw:
        before = snapshot(raw)
    database.dispose()
    source = _file(tmp_path / "gros_SYNTHETIC.csv", 26000)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(source)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "WRITTEN"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    raw = sqlite3.connect(paths.database)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.execute("INSERT INTO supplier_fts (supplier_fts) VALUES ('integrity-check')")
        assert snapshot(raw) == before
    finally:
        raw.close()


def test_the_import_fold_equals_the_domain_fold():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from achatsdesk.catalogue.upsert import _fold
    from achatsdesk.domain.text import fold

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
           | st.sampled_from(["Bâtiment ÉCOLE", "  Œuvre  d'Ærø ", "STRASSE ß", "e\u0301te\u0301 Ⅻ ﬁn", "Ǆemal"]))
    def same(text):
        assert _fold(text) == fold(text)

    same()
