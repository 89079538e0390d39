"""Shared fixtures. Every test runs with ACHATSDESK_HOME in a temporary folder,
so no test ever touches a real user's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from achatsdesk.paths import AppPaths, app_paths
from tests.postgres_server import empty_shared_tables

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
    database = open_database(paths, server="local")  # the local file only, whatever the test's engine
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return paths.database


# --- both engines: the storage, services and CLI tests run on SQLite and on PostgreSQL -----
# Folders whose tests run twice: alone on the local file, and in team mode with the shared
# tables on a real PostgreSQL server (tests/postgres_server.py).
BOTH_ENGINES = ("storage", "services", "cli", "execution", "returns")


def _runs_on_both_engines(metafunc: pytest.Metafunc) -> bool:
    parts = Path(str(metafunc.definition.path)).relative_to(Path(__file__).parent).parts
    if len(parts) < 2 or parts[0] not in BOTH_ENGINES:
        return False
    if metafunc.definition.get_closest_marker("local_file_only"):
        return False
    return parts[0] == "cli" or "database" in metafunc.fixturenames


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames and _runs_on_both_engines(metafunc):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_url():
    """A superuser URL of a real PostgreSQL server (CI's, or a throwaway cluster); skip/fail without one."""
    import os

    from tests.postgres_server import URL_VARIABLE, throwaway_cluster, unavailable

    if os.environ.get(URL_VARIABLE):
        yield os.environ[URL_VARIABLE]
        return
    with throwaway_cluster() as url:
        if url is None:
            unavailable("neither initdb nor ACHATSDESK_TEST_PG_URL was found")
        yield url


@pytest.fixture(scope="session")
def _suite_server_database(postgres_url: str):
    """One team database for the suite's PostgreSQL runs, emptied before each test."""
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url, "achatsdesk_suite")
    yield url
    drop_database(postgres_url, url)


@pytest.fixture
def other_server(engine: str, postgres_url_if_team):
    """The `server` argument of open_database for "another machine" of this test's engine: "local"
    (its own file alone) on SQLite; on PostgreSQL a second, empty team database, dropped at the end."""
    if engine != "postgresql":
        yield "local"
        return
    from tests.postgres_server import create_database, drop_database

    url = create_database(postgres_url_if_team, "achatsdesk_other")
    yield url
    drop_database(postgres_url_if_team, url)


@pytest.fixture
def postgres_url_if_team(request: pytest.FixtureRequest, engine: str) -> str | None:
    return request.getfixturevalue("postgres_url") if engine == "postgresql" else None


@pytest.fixture(autouse=True)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which engine holds the shared tables in this test: "sqlite" (alone) or "postgresql" (team mode)."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        from achatsdesk.services.team_connection import ENVIRONMENT_VARIABLE

        url = request.getfixturevalue("_suite_server_database")
        empty_shared_tables(url)
        monkeypatch.setenv(ENVIRONMENT_VARIABLE, url)
    else:  # a developer's own server setting must never reach a test
        monkeypatch.delenv("ACHATSDESK_DATABASE_URL", raising=False)
    return kind


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


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many tests ran on the team server, so that a CI log shows the PostgreSQL run was there.

    Counted as pytest counts: a skip or an error happens in setup (the server fixture), a test whose
    teardown fails is both passed and an error; each test once per category."""
    def on_server(kind: str) -> int:
        return len({report.nodeid for report in terminalreporter.stats.get(kind, [])
                    if "[postgresql" in getattr(report, "nodeid", "")})

    passed, failed, errors, skipped = (on_server(kind) for kind in ("passed", "failed", "error", "skipped"))
    if passed or failed or errors or skipped:
        terminalreporter.write_line(
            f"PostgreSQL (team mode): {passed} passed, {failed} failed, {errors} errors, {skipped} skipped "
            "on a real server")
