"""A real PostgreSQL server for the tests (team mode), never a mock.

CI's .ci/run starts a cluster from Debian's packages and exports
``ACHATSDESK_TEST_PG_URL`` (a superuser's URL) and ``ACHATSDESK_REQUIRE_PG=1``.
Elsewhere a throwaway cluster is made with initdb/pg_ctl in a temporary folder
(as the ``postgres`` user when the tests run as root, since PostgreSQL refuses
to run as root) and stopped at the end of the session. Without a server binary
the PostgreSQL half of the suite is skipped, unless ACHATSDESK_REQUIRE_PG is set:
then it fails, so that CI can never pass without it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

URL_VARIABLE = "ACHATSDESK_TEST_PG_URL"
REQUIRE_VARIABLE = "ACHATSDESK_REQUIRE_PG"


def _server_binaries() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def throwaway_cluster():
    """Start a cluster listening on a socket in a temporary folder; yield a superuser URL."""
    binaries = _server_binaries()
    if binaries is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="achatsdesk-pg-"))
    prefix = _as_server_user()
    if prefix:
        shutil.chown(root, "postgres")
    data = root / "data"
    subprocess.run([*prefix, str(binaries / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    options = f"-c listen_addresses='' -c unix_socket_directories={root} -c fsync=off -c full_page_writes=off"
    subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
                    "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@/postgres?host={root}"
    finally:
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_VARIABLE} is set) but {reason}")
    pytest.skip(f"no PostgreSQL server binary on this machine: {reason}")


def with_database(url: str, name: str) -> str:
    """The same server's URL pointing at another database."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def admin_engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")


def create_database(url: str, prefix: str = "achatsdesk_test") -> str:
    """A new, empty database on the server; its URL."""
    from sqlalchemy import text

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = admin_engine(url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return with_database(url, name)


def drop_database(url: str, name_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = make_url(name_url).database
    engine = admin_engine(url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def empty_shared_tables(url: str) -> None:
    """Every shared table of the database at ``url`` emptied, its identities restarted (between tests)."""
    from sqlalchemy import inspect, text

    from achatsdesk.storage.models import SHARED_TABLES

    engine = admin_engine(url)
    with engine.connect() as conn:
        present = [name for name in SHARED_TABLES if inspect(conn).has_table(name)]
        if present:
            conn.execute(text(f"TRUNCATE {', '.join(present)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def workstation_paths(root: Path, template: Path):
    """A colleague's workstation under ``root``: its folders, and a local file copied from ``template``."""
    from achatsdesk.paths import AppPaths

    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups").ensure()
    shutil.copyfile(template, paths.database)
    return paths
