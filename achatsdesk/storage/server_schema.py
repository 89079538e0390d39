"""The team server's schema: created on a first connection, refused when newer,
migrated by an administrator only and after a ``pg_dump`` backup.

The same Alembic chain as the local file (storage/migrate.py); only the backup
and the right to migrate differ. A buyer's achatsdesk never changes the shared
schema: it says who can, and how.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from achatsdesk.errors import MigrationError, NewerDatabaseError
from achatsdesk.private_files import make_private
from achatsdesk.storage.migrate import MigrationOutcome, known_revisions, run_upgrade
from achatsdesk.storage.server import ServerAddress, password_from_keyring

ADMIN_ROLE = "achatsdesk_admin"


def team_sql_path() -> Path:
    """The roles, grants and row-level-security policies (also shipped for a DBA)."""
    from achatsdesk.paths import resources_dir

    return resources_dir() / "team" / "team_init.sql"


def apply_team_rules(engine: Engine) -> None:
    """Run resources/team/team_init.sql (idempotent) in one transaction."""
    script = team_sql_path().read_text(encoding="utf-8")
    with engine.begin() as conn:
        # Several statements and DO blocks: psycopg runs them in one call when no parameters
        # are given (through SQLAlchemy the text would be prepared as a single statement).
        conn.connection.dbapi_connection.execute(script)  # type: ignore[union-attr]


def team_rules_installed(engine: Engine) -> bool:
    """True once `team init` ran on this database (its policy function exists)."""
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT to_regprocedure('achatsdesk_may_edit(text)') IS NOT NULL")).scalar())


def server_revision(engine: Engine) -> str | None:
    """The revision stamped on the server, or None for a database without achatsdesk's tables."""
    from sqlalchemy.exc import ProgrammingError

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            raise MigrationError(
                "Vous n'avez encore aucun droit sur la base de l'équipe : achatsdesk ne peut pas l'ouvrir.",
                hint="Demandez à l'administrateur de lancer « achatsdesk-cli --database … team init » puis "
                     "« team add-user VOTRE_NOM --role acheteur --service SERVICE ».",
                detail=repr(exc.orig)) from exc


def may_migrate(engine: Engine) -> bool:
    """A superuser or a member of achatsdesk_admin (the role `team init` creates)."""
    with engine.connect() as conn:
        superuser = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar()
        if superuser:
            return True
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ADMIN_ROLE}).scalar()
        if not exists:
            return False
        return bool(conn.execute(text("SELECT pg_has_role(session_user, :r, 'MEMBER')"), {"r": ADMIN_ROLE}).scalar())


def libpq_uri(address: ServerAddress) -> str:
    """The address as a libpq URI (for pg_dump, psql), password left out."""
    url = make_url(address.url).set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def dump_command(address: ServerAddress, target: Path) -> list[str]:
    # Row-level security is forced on the shared tables (resources/team/team_init.sql): without
    # --enable-row-security pg_dump refuses them to an administrator who is not a superuser;
    # with it, the administrators' policies let every row through.
    return ["pg_dump", "--format=custom", "--enable-row-security", f"--file={target}",
            f"--dbname={libpq_uri(address)}"]


def backup_server(address: ServerAddress, backups_dir: Path, revision: str) -> Path:
    """A pg_dump of the whole team database before a migration; MigrationError (with the command) without pg_dump."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = backups_dir / f"serveur-avant-{revision}-{datetime.now():%Y%m%d-%H%M%S}.dump"
    command = dump_command(address, target)
    if shutil.which("pg_dump") is None:
        raise MigrationError(
            "La base de l'équipe doit être mise à jour, mais pg_dump est introuvable sur ce poste : "
            "achatsdesk ne la met pas à jour sans sauvegarde.",
            hint="Installez les outils clients de PostgreSQL, ou faites faire la sauvegarde par votre "
                 f"administrateur : « {' '.join(command)} », puis relancez achatsdesk.",
        )
    env = dict(os.environ)
    password = password_from_keyring(address)
    if password is not None:
        env["PGPASSWORD"] = password
    partial = target.with_suffix(".partial")
    command[command.index(f"--file={target}")] = f"--file={partial}"
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise MigrationError(
            "La sauvegarde de la base de l'équipe (pg_dump) a échoué : la base n'a pas été mise à jour.",
            hint="Vérifiez l'espace disque et vos droits de lecture sur la base, puis relancez achatsdesk.",
            detail=done.stderr.strip()[-2000:],
        )
    partial.replace(target)
    make_private(target)
    return target


def ensure_server_schema(engine: Engine, address: ServerAddress, backups_dir: Path) -> MigrationOutcome:
    """Create the schema on an empty database, refuse a newer one, back up and migrate an older one (admins only)."""
    revisions = known_revisions()
    head = revisions[-1]
    current = server_revision(engine)
    if current == head:
        return MigrationOutcome(current, head, None)
    if current is not None and current not in revisions:
        raise NewerDatabaseError(
            f"La base de l'équipe ({address.label}) a été créée par une version plus récente d'achatsdesk "
            f"(schéma « {current} »).",
            hint="Installez la même version d'achatsdesk que vos collègues ; la base n'a pas été modifiée.",
        )
    backup = None
    if current is not None:
        if not may_migrate(engine):
            raise MigrationError(
                f"La base de l'équipe ({address.label}) est au schéma « {current} » et cette version d'achatsdesk "
                f"attend « {head} » : seul un administrateur achatsdesk peut la mettre à jour.",
                hint="Demandez à l'administrateur de lancer « achatsdesk-cli --database "
                     f"{libpq_uri(address)} team init » (une sauvegarde pg_dump est faite avant), "
                     "ou travaillez hors connexion sur la base locale en attendant.",
            )
        backup = backup_server(address, backups_dir, head)
    run_upgrade(engine, "head", reached=lambda: server_revision(engine))
    if current is not None and team_rules_installed(engine):
        _reapply_team_rules(engine, address)  # new tables of the migration get their rights
    return MigrationOutcome(current, head, backup)


def _reapply_team_rules(engine: Engine, address: ServerAddress) -> None:
    from sqlalchemy.exc import DBAPIError

    try:
        apply_team_rules(engine)
    except DBAPIError as exc:
        raise MigrationError(
            "La base de l'équipe est à jour, mais ses droits n'ont pas pu être remis en place.",
            hint="Lancez « achatsdesk-cli --database "
                 f"{libpq_uri(address)} team init » avec un rôle superutilisateur (ou donnez le fichier "
                 "resources/team/team_init.sql à votre DBA) avant que vos collègues se reconnectent.",
            detail=repr(exc.orig)) from exc
