"""Team mode benchmark (issue 18): the dossiers on a loopback PostgreSQL against SQLite; prints JSON.

Run: .venv/bin/python bench/team.py [--dossiers 2000] [--users 20] [--seconds 60] [--runs 20]
     .venv/bin/python bench/team.py --quick            (what `make bench` runs: 300 dossiers, 20 users, 2 × 10 s)
     .venv/bin/python bench/team.py --server URL       (a superuser URL of an existing server instead of
                                                        a throwaway cluster)

The dossiers are made up ("(fictif)" in every title; bench/dossiers.py's generator, the same seed on both
engines), written through the product's own save path. In the same run, interleaved call by call:

- `services.dossiers.list_dossiers`, `services.dossiers.save_dossier` (a title edited, saved with its
  revision) and `services.indicators.dossier_indicators`, on the local SQLite file alone and in team mode
  with the shared tables on a PostgreSQL cluster started for the run (initdb/pg_ctl, 127.0.0.1 on a free
  port, fsync on as a real server runs it) — goals: each ≤ 2× its SQLite figure, the list ≤ 100 ms;
- then `--users` simulated users, each a thread with its own connection and its own login role, saving for
  `--seconds`, twice: paced (a user types about `--pause` s between two saves, the editor's autosave
  following the typing) and flat out (no pause: every thread saves as fast as it can). Each round a user loads a dossier (its own, or one of four shared by everybody), adds 1 € to
  the lot that counts its own saves, and saves with the revision it read; on StaleDossierError it reloads
  and retries. At the end every counter lot on the server must equal the successful saves its user counted
  (no lost update), and no psycopg DeadlockDetected may have happened. Goal: p95 save ≤ 50 ms. The
  threads share one Python process (and its GIL) with the bench itself, on the same machine as the server.

The login roles are made with plain SQL by default (`CREATE ROLE benchNN LOGIN` and GRANTs on the tables);
`--roles team` makes them buyers the product's way instead (`team init`, then `team add-user --role acheteur`
through services/team.py, with row-level security on), where that code is present.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SHARED_DOSSIERS = 4


# --- the server ------------------------------------------------------------------------------------
def _server_binaries() -> Path | None:
    import glob

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                         reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def loopback_cluster():
    """A throwaway cluster listening on 127.0.0.1 (as tests/postgres_server.py, but over TCP); a superuser URL."""
    binaries = _server_binaries()
    if binaries is None:
        raise SystemExit("bench/team.py: no PostgreSQL server binary (initdb) on this machine; use --server URL")
    root = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-pg-"))
    as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_server_user:
        shutil.chown(root, "postgres")
    data, port = root / "data", _free_port()
    subprocess.run([*as_server_user, str(binaries / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -c max_connections=200"
    subprocess.run([*as_server_user, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                    str(root / "log"), "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_server_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def _admin(url: str):
    from sqlalchemy import create_engine

    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")


def _as(url: str, **parts) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(**parts).render_as_string(hide_password=False)


def create_login_roles(url: str, count: int) -> list[str]:
    """``count`` login roles allowed to read and write the tables (plain SQL); each one's URL."""
    from sqlalchemy import text

    password = secrets.token_hex(8)  # trust on the throwaway cluster; needed on a --server that asks for one
    engine, urls = _admin(url), []
    with engine.connect() as conn:
        for n in range(1, count + 1):
            role = f"bench{n:02d}"
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
            conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
            conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
            conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
            urls.append(_as(url, username=role, password=password))
    engine.dispose()
    return urls


def create_team_roles(home: Path, url: str, count: int) -> list[str]:
    """The same login roles made buyers the product's way: `team init` (group roles, grants, row-level
    security) then `team add-user benchNN --role acheteur` (services/team.py, issue 18's rights work).
    The bench's dossiers belong to no service, which every buyer of the team may edit."""
    from sqlalchemy import text

    try:
        from achatsdesk.services import team
    except ImportError as exc:
        raise SystemExit("bench/team.py --roles team: services/team.py (team init, add-user) is not in this "
                         "tree; use --roles sql") from exc
    owner = open_home(home, url)
    team.init_team(owner, home / "backups")
    password, urls = secrets.token_hex(8), []
    for n in range(1, count + 1):
        role = f"bench{n:02d}"
        team.add_user(owner, role, "acheteur")
        with owner.shared_engine.begin() as conn:  # for a --server that asks for one
            conn.execute(text(f"ALTER ROLE {role} PASSWORD '{password}'"))
        urls.append(_as(url, username=role, password=password))
    owner.dispose()
    return urls


# --- figures ---------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    return {"count": len(values), "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2), "max_ms": round(max(values), 2)}


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


# --- single-user figures ------------------------------------------------------------------------------
def open_home(root: Path, server: str):
    from achatsdesk.paths import AppPaths
    from achatsdesk.services.bootstrap import open_database

    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups")
    return open_database(paths, server=server)


def synced_at_every_commit(database) -> None:
    """The local file with ``PRAGMA synchronous=FULL``: every commit waits for the disk, as PostgreSQL's
    does (``synchronous_commit = on``). The product runs WAL with ``synchronous=NORMAL``, which does not
    sync at commit; this copy only shows how much of the ratio is that promise, not the engine."""
    from sqlalchemy import event

    database.engine.dispose()
    event.listen(database.engine, "connect",
                 lambda connection, _record: connection.execute("PRAGMA synchronous=FULL"))


def fill(database, count: int) -> float:
    from dossiers import make_dossiers

    from achatsdesk.services.dossiers import count_dossiers

    started = time.perf_counter()
    make_dossiers(database, count - count_dossiers(database), random.Random(15))
    return round(time.perf_counter() - started, 1)


def save_one(database, dossier_id: int, run: int) -> float:
    """Load a dossier, edit its title, and time the save with its revision."""
    from achatsdesk.services.dossiers import get_dossier, save_dossier

    stored = get_dossier(database, dossier_id)
    stored.dossier.title = f"{stored.dossier.title.split(' #')[0]} #{run}"
    return timed(lambda: save_dossier(database, dossier_id, stored.dossier, stored.revision))


def indicator_total(lines) -> int:
    return sum(line.dossiers for line in lines)


def single_user(databases: dict, runs: int) -> dict:
    from achatsdesk.services.dossiers import list_dossiers
    from achatsdesk.services.indicators import dossier_indicators

    figures = {kind: {"list": [], "save": [], "indicators": []} for kind in databases}
    ids = {kind: [s.id for s in list_dossiers(db)] for kind, db in databases.items()}
    rng = random.Random(18)
    checks: dict[str, dict] = {}
    for run in range(runs):
        position = rng.randrange(len(ids["sqlite"]))
        for kind, database in databases.items():  # interleaved: a busy moment weighs on both engines
            figures[kind]["list"].append(timed(lambda db=database: list_dossiers(db)))
            figures[kind]["save"].append(save_one(database, ids[kind][position], run))
            if run % 2 == 0:  # the indicators take the longest: every other run
                figures[kind]["indicators"].append(timed(lambda db=database: dossier_indicators(db)))
    for kind, database in databases.items():
        checks[kind] = {"listed": len(list_dossiers(database)),
                        "counted_by_indicators": indicator_total(dossier_indicators(database))}
    return {kind: {name: stats(values) for name, values in by_name.items()} for kind, by_name in figures.items()} | {
        "checks": checks}


# --- concurrent users ------------------------------------------------------------------------------
def counter_lot(user: str) -> str:
    return f"Compteur {user} (fictif)"


@dataclass
class UserRun:
    user: str
    saves: Counter = field(default_factory=Counter)  # dossier id -> successful saves
    conflicts: int = 0
    deadlocks: int = 0
    errors: list[str] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)  # every successful save
    refused_ms: list[float] = field(default_factory=list)  # saves refused as stale


def prepare_concurrent(database, users: list[str]) -> tuple[list[int], dict[str, int]]:
    """Four dossiers shared by everybody (one counter lot per user) and one dossier per user."""
    from achatsdesk.domain.dossier import Dossier, Lot
    from achatsdesk.services.dossiers import create_dossier

    shared = [create_dossier(database, Dossier(f"Dossier partagé {n} (fictif)", reference=f"PART-{n}",
                                               estimated_amount_eur=Decimal(100_000),
                                               lots=[Lot(counter_lot(u)) for u in users]))
              for n in range(1, SHARED_DOSSIERS + 1)]
    own = {u: create_dossier(database, Dossier(f"Dossier de {u} (fictif)", reference=f"PERSO-{u}",
                                               estimated_amount_eur=Decimal(50_000), lots=[Lot(counter_lot(u))]))
           for u in users}
    return shared, own


def is_deadlock(exc: BaseException) -> bool:
    from psycopg.errors import DeadlockDetected

    while exc is not None:
        if isinstance(exc, DeadlockDetected) or isinstance(getattr(exc, "orig", None), DeadlockDetected):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def simulate_user(database, run: UserRun, dossiers: list[int], stop_at: float, start: threading.Barrier,
                  pause: float) -> None:
    from achatsdesk.errors import StaleDossierError
    from achatsdesk.services.dossiers import get_dossier, save_dossier

    rng = random.Random(run.user)
    name = counter_lot(run.user)
    start.wait()
    while time.perf_counter() < stop_at:
        dossier_id = rng.choice(dossiers)
        while time.perf_counter() < stop_at:  # until this save goes through
            try:
                stored = get_dossier(database, dossier_id)
                lot = next(lot for lot in stored.dossier.lots if lot.title == name)
                lot.amount_eur += 1
                started = time.perf_counter()
                save_dossier(database, dossier_id, stored.dossier, stored.revision)
                run.save_ms.append((time.perf_counter() - started) * 1000)
                run.saves[dossier_id] += 1
                if pause:  # the user types before the next save (the editor's autosave follows the typing)
                    time.sleep(rng.uniform(0.5, 1.5) * pause)
                break
            except StaleDossierError:
                run.refused_ms.append((time.perf_counter() - started) * 1000)
                run.conflicts += 1  # a colleague saved first: reload and redo the edit
            except Exception as exc:  # noqa: BLE001 - counted and reported, the bench goes on
                if is_deadlock(exc):
                    run.deadlocks += 1
                else:
                    run.errors.append(repr(exc)[:300])
                    break


def concurrent_users(home: Path, server_url: str, urls: list[str], seconds: float, pause: float) -> dict:
    from sqlalchemy import bindparam, text

    from achatsdesk.services.dossiers import get_dossier
    from achatsdesk.storage.database import Database
    from achatsdesk.storage.server import ServerAddress

    users = len(urls)
    names = [f"bench{n:02d}" for n in range(1, users + 1)]
    owner = open_home(home, server_url)
    shared, own = prepare_concurrent(owner, names)
    databases = [Database(owner.path, ServerAddress.parse(url)) for url in urls]  # own engine, own role each
    runs = [UserRun(name) for name in names]
    start = threading.Barrier(users)
    stop_at = time.perf_counter() + seconds + 0.5
    threads = [threading.Thread(target=simulate_user, args=(db, run, shared + [own[run.user]], stop_at, start,
                                                              pause))
               for db, run in zip(databases, runs, strict=True)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    # No lost update: every user's counter lot on the server holds exactly the saves that user counted.
    lost, checked = [], 0
    for dossier_id in shared + list(own.values()):
        lots = {lot.title: lot.amount_eur for lot in get_dossier(owner, dossier_id).dossier.lots}
        for run in runs:
            if counter_lot(run.user) in lots:
                checked += 1
                if lots[counter_lot(run.user)] != run.saves[dossier_id]:
                    lost.append({"dossier": dossier_id, "user": run.user, "on_server": str(lots[counter_lot(run.user)]),
                                 "saves_counted": run.saves[dossier_id]})
    with owner.shared_engine.connect() as conn:
        authors = conn.execute(text("SELECT count(DISTINCT updated_by) FROM dossier WHERE id IN :ids")
                               .bindparams(bindparam("ids", expanding=True)), {"ids": shared + list(own.values())})
        distinct_authors = authors.scalar_one()
    for db in databases:
        db.dispose()
    owner.dispose()
    saves = [ms for run in runs for ms in run.save_ms]
    total = sum(sum(run.saves.values()) for run in runs)
    return {
        "users": users, "pause_between_saves_s": pause, "seconds": round(elapsed, 1), "saves": total, "saves_per_s": round(total / elapsed, 1),
        "conflicts": sum(run.conflicts for run in runs), "deadlocks": sum(run.deadlocks for run in runs),
        "errors": [e for run in runs for e in run.errors][:5], "error_count": sum(len(run.errors) for run in runs),
        "save": stats(saves), "refused_save": stats([ms for run in runs for ms in run.refused_ms]),
        "shared_dossiers": SHARED_DOSSIERS, "counters_checked": checked, "lost_updates": lost,
        "distinct_authors_on_server": distinct_authors,
    }


def machine() -> dict:
    import psycopg
    import sqlalchemy

    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "sqlalchemy": sqlalchemy.__version__, "psycopg": psycopg.__version__, "load_average": os.getloadavg()}


def server_version(url: str) -> str:
    from sqlalchemy import text

    engine = _admin(url)
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
    engine.dispose()
    return version


def run(args: argparse.Namespace, admin_url: str, work: Path) -> dict:
    from achatsdesk.services.dossiers import count_dossiers

    server_url = _as(admin_url, database=f"achatsdesk_bench_{secrets.token_hex(4)}")
    from sqlalchemy import text

    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{server_url.rsplit("/", 1)[1]}"'))
    engine.dispose()
    try:
        local = open_home(work / "alone", "local")
        synced = open_home(work / "alone-synced", "local")
        synced_at_every_commit(synced)
        team = open_home(work / "team", server_url)
        created = {"sqlite": fill(local, args.dossiers), "postgresql": fill(team, args.dossiers),
                   "sqlite_synchronous_full": fill(synced, args.dossiers)}
        single = single_user({"sqlite": local, "postgresql": team, "sqlite_synchronous_full": synced}, args.runs)
        counts = {"sqlite": count_dossiers(local), "postgresql": count_dossiers(team)}
        local.dispose()
        synced.dispose()
        team.dispose()
        if args.roles == "team":
            urls = create_team_roles(work / "team", server_url, args.users)
        else:
            urls = create_login_roles(server_url, args.users)
        concurrent = {"paced": concurrent_users(work / "team", server_url, urls, args.seconds, args.pause),
                      "flat_out": concurrent_users(work / "team", server_url, urls, args.seconds, 0.0)}
    finally:
        engine = _admin(admin_url)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{server_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            for n in range(1, args.users + 1):
                conn.execute(text(f"DROP ROLE IF EXISTS bench{n:02d}"))
        engine.dispose()
    ratios = {name: round(single["postgresql"][name]["p50_ms"] / single["sqlite"][name]["p50_ms"], 2)
              for name in ("list", "save", "indicators")}
    # The same promise at commit on both sides (explanatory; the goal stays against the product's SQLite).
    same_durability = round(single["postgresql"]["save"]["p50_ms"]
                            / single["sqlite_synchronous_full"]["save"]["p50_ms"], 2)
    return {
        "machine": machine(), "postgresql": server_version(admin_url), "data": "made-up dossiers (fictif)",
        "dossiers": counts, "created_s": created, "runs": args.runs,
        "single_user": {k: single[k] for k in ("sqlite", "postgresql", "sqlite_synchronous_full")},
        "checks": single["checks"],
        "ratio_postgresql_to_sqlite_p50": ratios,
        "save_ratio_to_sqlite_synced_at_every_commit": same_durability,
        "concurrent": concurrent, "roles_made_by": {"sql": "CREATE ROLE + GRANT (plain SQL)",
                                                    "team": "team init + team add-user"}[args.roles],
        "targets": {"ratio_max": 2.0, "postgresql_list_p50_ms_max": 100, "concurrent_save_p95_ms_max": 50,
                    "lost_updates": 0, "deadlocks": 0},
        "met": {
            "ratios": all(r <= 2.0 for r in ratios.values()),
            "indicators_count_every_dossier": all(c["counted_by_indicators"] == c["listed"]
                                                  for c in single["checks"].values()),
            "list_100ms": single["postgresql"]["list"]["p50_ms"] <= 100,
            "save_p95_50ms_paced": concurrent["paced"]["save"].get("p95_ms", 1e9) <= 50,
            "save_p95_50ms_flat_out": concurrent["flat_out"]["save"].get("p95_ms", 1e9) <= 50,
            "no_lost_update": all(not c["lost_updates"] and c["counters_checked"] > 0 for c in concurrent.values()),
            "no_deadlock": all(c["deadlocks"] == 0 for c in concurrent.values()),
            "no_other_error": all(c["error_count"] == 0 for c in concurrent.values()),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds a paced user types between two saves (±50 %%); a flat-out run follows")
    parser.add_argument("--roles", choices=("sql", "team"), default="sql",
                        help="sql: CREATE ROLE + GRANT (default); team: team init + add-user (row-level security)")
    parser.add_argument("--quick", action="store_true", help="300 dossiers, 10 runs, 2 × 10 s of users (make bench)")
    parser.add_argument("--server", default=None, help="a superuser URL of an existing server (else a throwaway one)")
    args = parser.parse_args()
    if args.quick:
        args.dossiers, args.runs, args.seconds = 300, 10, 10
    work = Path(tempfile.mkdtemp(prefix="achatsdesk-bench-team-"))
    os.environ["ACHATSDESK_HOME"] = str(work / "home")
    os.environ.pop("ACHATSDESK_DATABASE_URL", None)
    try:
        if args.server:
            report = run(args, args.server, work)
        else:
            with loopback_cluster() as url:
                report = run(args, url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
