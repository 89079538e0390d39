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


# --- every Word file the product writes is checked as Word would open it ---------------
_DOCX_VALIDATOR = None


def _docx_validator():
    global _DOCX_VALIDATOR
    if _DOCX_VALIDATOR is None:
        from openxml_audit import OpenXmlValidator

        _DOCX_VALIDATOR = OpenXmlValidator(max_errors=20)
    return _DOCX_VALIDATOR


def written_by_achatsdesk(path: Path) -> bool:
    """True for a .docx whose docProps/app.xml names achatsdesk (every document the
    product writes); the models a test builds as inputs are not the product's output."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            return b"<Application>achatsdesk</Application>" in package.read("docProps/app.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


def docx_errors(path: Path) -> list[str]:
    """openxml-audit's errors (schema, semantic, package) for one file: [] when Word opens it cleanly."""
    result = _docx_validator().validate(path)
    return [str(error) for error in result.errors]


@pytest.fixture(autouse=True)
def _every_written_docx_is_valid(tmp_path: Path):
    """After each test, every .docx achatsdesk wrote under the test's folder passes openxml-audit
    (Microsoft's Open XML SDK validation rules) with zero errors."""
    yield
    for path in sorted(tmp_path.rglob("*.docx")):
        if path.is_file() and written_by_achatsdesk(path):
            errors = docx_errors(path)
            assert not errors, f"{path.name}: Word would repair this file:\n" + "\n".join(errors[:10])
