"""A large import (staged, applied in bulk) writes what the row-by-row writer writes, and a kill
before its commit leaves the catalogue as it was."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from stdnum import luhn

from achatsdesk.catalogue import bulk_upsert
from achatsdesk.errors import Cancelled, InputFileError
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
            "indexes": q("SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('supplier', 'supplier_sector') ORDER BY name").all(),
        }


@pytest.mark.parametrize("read_in_child", [True, False], ids=["read-in-child", "read-here"])
def test_bulk_and_row_by_row_imports_write_the_same_catalogue(database, tmp_path, monkeypatch, read_in_child):
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
    monkeypatch.setattr("achatsdesk.catalogue.importer.READ_IN_CHILD", read_in_child)
    bulk = [import_file(database, source, "csv"), import_file(database, again, "csv")]
    assert [(r.added, r.updated, r.unchanged, r.rejected) for r in bulk] == [
        (r.added, r.updated, r.unchanged, r.rejected) for r in row_by_row]
    assert bulk[1].updated > 1000 and bulk[1].added > 1000  # rows 4500-5999 again, renamed
    assert _state(database) == expected
    with sqlite3.connect(database.engine.url.database) as raw:
        raw.execute("INSERT INTO supplier_fts (supplier_fts) VALUES ('integrity-check')")
        # The bulk fill's settings (storage/supplier_index.py) are the defaults again once it is done.
        settings = dict(raw.execute("SELECT k, v FROM supplier_fts_config WHERE k IN ('automerge', 'crisismerge', 'hashsize')"))
        assert settings == {"automerge": 4, "crisismerge": 16, "hashsize": 1 << 20}
    found = search_suppliers(database, "exemple atelier bis", near="Lyon", radius_km=10)
    assert found.total == 1000 and all("BIS" in h.name for h in found.hits)


CHILD = textwrap.dedent(
    """
    import multiprocessing, sys
    from achatsdesk.catalogue import importer
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import import_file

    if sys.argv[2] == "read-in-child":  # bulk from the start, the file read in another process
        importer.BULK_THRESHOLD = 10
    else:  # the file is larger than its size suggests: staged from row 20 000 on, read here
        importer.READ_IN_CHILD = False

    def progress(done, total, message):
        if message.endswith("lignes lues") and sys.argv[3] == "reading":
            print("READING", *[child.pid for child in multiprocessing.active_children()], flush=True)
            import time
            time.sleep(60)  # wait to be killed
        if message == "Index construits":  # every row and index written, nothing committed
            print("WRITTEN", flush=True)
            import time
            time.sleep(60)  # wait to be killed

    import_file(open_database(), sys.argv[1], "csv", progress)
    print("FINISHED", flush=True)
    """
)


@pytest.mark.parametrize("read", ["read-in-child", "read-here"])
def test_killed_large_import_leaves_the_catalogue_unchanged(database, paths, tmp_path, read):
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
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(source), read, "written"], stdout=subprocess.PIPE,
                             text=True, env=env)
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


def _ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")  # a zombie has ended
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_reading_child_of_a_killed_import_ends(database, tmp_path):
    database.dispose()
    source = _file(tmp_path / "gros_SYNTHETIC.csv", 26000)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(source), "read-in-child", "reading"],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        words = parent.stdout.readline().split()
        assert words[0] == "READING" and len(words) == 2
        reader = int(words[1])
        assert not _ended(reader)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while not _ended(reader) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ended(reader)  # its next send found the pipe broken
    finally:
        if parent.poll() is None:
            parent.kill()


def _file_with_bad_rows(path: Path, rows: int) -> Path:
    """SYNTHETIC: every 11th row of an unknown kind (rejected), every 13th SIRET with a wrong check digit
    (kept, flagged), some empty lines (not rows)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("raison sociale;siret;type;naf;code postal;commune\n")
        for i in range(rows):
            siret = _luhn(_luhn(f"{71000000 + i:08d}") + "0001")  # SIREN and SIRET both checked
            if i % 13 == 0:
                siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)
            kind = "XYZ" if i % 11 == 0 else "EA"
            handle.write(f"EXEMPLE INVENTÉ {i} ENTREPRISE;{siret};{kind};8121Z;95000;Cergy\n")
            if i % 997 == 0:
                handle.write("\n")
    return path


def _report(report) -> tuple:
    return (report.rows_read, report.added, report.updated, report.unchanged, report.rejected, report.invalid_siret,
            report.rejections)


def test_the_report_of_a_file_read_in_a_child_is_the_report_read_here(database, tmp_path, monkeypatch):
    source = _file_with_bad_rows(tmp_path / "mauvais_SYNTHETIC.csv", 5000)
    monkeypatch.setattr("achatsdesk.catalogue.importer.BULK_THRESHOLD", 10)
    reports, states = [], []
    for read_in_child in (False, True):
        monkeypatch.setattr("achatsdesk.catalogue.importer.READ_IN_CHILD", read_in_child)
        with database.engine.begin() as conn:  # the same starting point for both
            conn.exec_driver_sql("DELETE FROM supplier_fts WHERE rowid IN (SELECT id FROM supplier WHERE origin = 'import')")
            conn.exec_driver_sql("DELETE FROM supplier_rtree WHERE id IN (SELECT id FROM supplier WHERE origin = 'import')")
            conn.exec_driver_sql("DELETE FROM supplier_sector WHERE supplier_id IN (SELECT id FROM supplier WHERE origin = 'import')")
            conn.exec_driver_sql("DELETE FROM supplier WHERE origin = 'import'")
        reports.append(_report(import_file(database, source, "csv")))
        states.append(_state(database))
    assert reports[0] == reports[1]
    assert states[0] == states[1]
    rows_read, added, _updated, _unchanged, rejected, invalid, rejections = reports[1]
    assert (rows_read, added, rejected, invalid) == (5000, 5000 - 455, 455, 385 - 35)
    assert rejections[0].line == 2 and rejections[1].line == 14  # line 2: row 0; an empty line after it
    assert multiprocessing.active_children() == []


def test_a_reading_error_in_the_child_is_the_error_read_here(database, tmp_path, monkeypatch):
    path = tmp_path / "sans_nom_SYNTHETIC.csv"
    path.write_text("siret;type\n" + "".join(f"{_luhn(f'{720000000 + i:09d}0001')};EA\n" for i in range(3000)),
                    encoding="utf-8")
    monkeypatch.setattr("achatsdesk.catalogue.importer.BULK_THRESHOLD", 10)
    messages = []
    for read_in_child in (False, True):
        monkeypatch.setattr("achatsdesk.catalogue.importer.READ_IN_CHILD", read_in_child)
        with pytest.raises(InputFileError) as info:
            import_file(database, path, "csv")
        messages.append((info.value.message, info.value.hint))
    assert messages[0] == messages[1] and "raison sociale" in messages[1][0]


def test_a_cancelled_import_read_in_a_child_stops_the_child_and_writes_nothing(database, tmp_path, monkeypatch):
    before = _state(database)
    source = _file(tmp_path / "gros_SYNTHETIC.csv", 12000)
    monkeypatch.setattr("achatsdesk.catalogue.importer.BULK_THRESHOLD", 10)
    seen = []

    def progress(done, total, message):
        seen.append(multiprocessing.active_children())

    with pytest.raises(Cancelled):
        import_file(database, source, "csv", progress, cancelled=lambda: len(seen) >= 2)
    assert [child.name for child in seen[0]] == ["achatsdesk-import-reader"]
    assert multiprocessing.active_children() == []
    assert _state(database) == before


@pytest.mark.parametrize("failure", ["cannot-start", "ends-at-once"])
def test_without_a_reading_child_the_file_is_read_here(database, tmp_path, monkeypatch, failure):
    source = _file_with_bad_rows(tmp_path / "mauvais_SYNTHETIC.csv", 3000)
    monkeypatch.setattr("achatsdesk.catalogue.importer.BULK_THRESHOLD", 10)
    monkeypatch.setattr("achatsdesk.catalogue.importer.READ_IN_CHILD", False)
    expected = _report(import_file(database, source, "csv"))
    expected_state = _state(database)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM supplier_fts WHERE rowid IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier_rtree WHERE id IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier_sector WHERE supplier_id IN (SELECT id FROM supplier WHERE origin = 'import')")
        conn.exec_driver_sql("DELETE FROM supplier WHERE origin = 'import'")
    spawn = multiprocessing.get_context("spawn")
    started = []

    class Context:
        def Pipe(self, duplex):  # noqa: N802 - multiprocessing's name
            return spawn.Pipe(duplex=duplex)

        def Process(self, **kwargs):  # noqa: N802
            started.append(kwargs["name"])
            if failure == "cannot-start":
                process = spawn.Process(**kwargs)
                process.start = lambda: (_ for _ in ()).throw(OSError("no new process here"))
                return process
            return spawn.Process(target=os._exit, args=(3,), daemon=True)  # ends before its first message

    monkeypatch.setattr("achatsdesk.catalogue.importer.READ_IN_CHILD", True)
    monkeypatch.setattr("achatsdesk.catalogue.reader_process.multiprocessing.get_context", lambda method: Context())
    assert _report(import_file(database, source, "csv")) == expected
    assert started == ["achatsdesk-import-reader"]
    assert _state(database) == expected_state and multiprocessing.active_children() == []


GUARDLESS = textwrap.dedent(
    """
    # No `if __name__ == "__main__"` guard: 'spawn' runs this again in the reading child.
    import sys
    from achatsdesk.catalogue import importer
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.catalogue import import_file

    importer.BULK_THRESHOLD = 10
    report = import_file(open_database(), sys.argv[1], "csv")
    print("IMPORTED", report.added, report.unchanged, flush=True)
    """
)


def test_a_script_without_the_main_guard_imports_its_file_once(database, paths, tmp_path):
    database.dispose()
    script = tmp_path / "sans_garde.py"
    script.write_text(GUARDLESS, encoding="utf-8")
    source = _file(tmp_path / "gros_SYNTHETIC.csv", 3000)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, str(script), str(source)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    # Once, by the script itself: the child that ran it again failed instead of importing.
    assert [line for line in done.stdout.splitlines() if line.startswith("IMPORTED")] == ["IMPORTED 3000 0"]
    with sqlite3.connect(paths.database) as raw:
        assert raw.execute("SELECT count(*) FROM supplier WHERE origin = 'import'").fetchone() == (3000,)
