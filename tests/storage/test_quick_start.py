"""The quick start: a read-only sqlite3 reader only when opening the database would change nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from achatsdesk.paths import resources_dir
from achatsdesk.storage.quick_start import open_reader
from achatsdesk.storage.shipped_data import shipped_versions

DATA = resources_dir() / "data"

# The quick start reads the local file through plain sqlite3 (its pages, its alembic_version, its
# recorded data versions): nothing of it lives on the team server.
pytestmark = pytest.mark.local_file_only("the quick start's read-only sqlite3 reader of the local file")


def test_an_up_to_date_database_gives_a_read_only_reader(database) -> None:
    reader = open_reader(database.path, DATA)
    assert reader is not None
    try:
        assert reader.execute("SELECT count(*) FROM cpv").fetchone()[0] == 9454
        with pytest.raises(sqlite3.OperationalError):
            reader.execute("DELETE FROM dossier")
    finally:
        reader.close()


def test_the_recorded_versions_are_the_shipped_fingerprints(database) -> None:
    with sqlite3.connect(database.path) as conn:
        stored = dict(conn.execute("SELECT name, version FROM reference_dataset"))
    assert shipped_versions(DATA) == {name: stored[name] for name in shipped_versions(DATA)}


def test_no_database_yet_means_a_full_open(tmp_path: Path) -> None:
    missing = tmp_path / "achatsdesk.sqlite3"
    assert open_reader(missing, DATA) is None
    assert not missing.exists()  # not created by the check
    missing.write_bytes(b"")
    assert open_reader(missing, DATA) is None


def test_a_migration_due_means_a_full_open(database) -> None:
    with sqlite3.connect(database.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001_foundation'")
    assert open_reader(database.path, DATA) is None


def test_a_newer_or_foreign_database_is_left_to_the_full_open(database, tmp_path: Path) -> None:
    with sqlite3.connect(database.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = database.path.read_bytes()
    assert open_reader(database.path, DATA) is None
    assert database.path.read_bytes() == before
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("ceci n'est pas une base", encoding="utf-8")
    assert open_reader(not_a_database, DATA) is None


def test_changed_or_missing_shipped_data_means_a_full_open(database, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert open_reader(database.path, data) is not None
    with (data / "regions_cog2026.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert open_reader(database.path, data) is None
    shutil.copytree(DATA, data, dirs_exist_ok=True)
    (data / "catalogue_sectors.csv").unlink()
    assert open_reader(database.path, data) is None


def test_the_versions_cache_never_hides_a_changed_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    cache = tmp_path / "versions.json"
    exact = shipped_versions(data)
    assert shipped_versions(data, cache) == exact and cache.is_file()
    written = cache.stat().st_mtime_ns
    cache.write_text(cache.read_text(encoding="utf-8"), encoding="utf-8")  # same content, new time
    rewritten = cache.stat().st_mtime_ns
    assert shipped_versions(data, cache) == exact  # from the cache this time...
    assert cache.stat().st_mtime_ns == rewritten >= written  # ...which is not written again

    with (data / "cpv_2008_fr_en.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    changed = shipped_versions(data, cache)
    assert changed["cpv"] != exact["cpv"] and changed == shipped_versions(data)

    cache.write_text("{ pas du JSON", encoding="utf-8")  # a damaged cache is ignored, then rewritten
    assert shipped_versions(data, cache) == changed
    for damaged in (json.dumps({"data_dir": str(data), "datasets": {"cpv": "x", "naf": {"files": 3}}}), "[1, 2]", "null"):
        cache.write_text(damaged, encoding="utf-8")  # well-formed JSON, wrong shapes
        assert shipped_versions(data, cache) == changed
    assert shipped_versions(DATA, cache) == exact  # a cache of another folder is not reused


def test_the_quick_start_with_its_cache_still_sees_new_shipped_data(database, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    cache = tmp_path / "versions.json"
    reader = open_reader(database.path, data, cache)
    assert reader is not None
    reader.close()
    with (data / "catalogue_structures.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert open_reader(database.path, data, cache) is None


def test_an_unexpected_failure_of_the_check_falls_back_to_the_full_open(database, monkeypatch) -> None:
    from achatsdesk.storage import quick_start

    def broken(*_args):
        raise KeyError("a bug in the check")

    monkeypatch.setattr(quick_start, "shipped_versions", broken)
    assert open_reader(database.path, DATA) is None  # no crash: the start takes the full path
