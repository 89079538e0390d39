"""Shared fixtures. Every test runs with ACHATSDESK_HOME in a temporary folder,
so no test ever touches a real user's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from achatsdesk.paths import AppPaths, app_paths

# The example dossier shipped with achatsdesk (made-up data): many tests start from it.
EXAMPLE_DOSSIER = Path(__file__).resolve().parents[1] / "examples" / "nettoyage-colleges.json"


@pytest.fixture(autouse=True)
def achatsdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "achatsdesk-home"
    monkeypatch.setenv("ACHATSDESK_HOME", str(home))
    return home


@pytest.fixture
def example_dossier():
    """A fresh copy of the example dossier (examples/nettoyage-colleges.json), not stored."""
    import json

    from achatsdesk.domain.dossier import Dossier

    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def _template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the reference data, built once and copied per test."""
    from achatsdesk.services.bootstrap import open_database

    root = tmp_path_factory.mktemp("template-home")
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups")
    database = open_database(paths)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return paths.database


@pytest.fixture
def paths(achatsdesk_home: Path) -> AppPaths:
    return app_paths().ensure()


@pytest.fixture
def database(paths: AppPaths, _template_database: Path):
    """The application's database in this test's ACHATSDESK_HOME, ready to use."""
    from achatsdesk.services.bootstrap import open_database

    shutil.copyfile(_template_database, paths.database)
    db = open_database(paths)
    yield db
    db.dispose()
