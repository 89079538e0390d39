"""Bring the database to the schema this version expects, safely.

Start-up calls ``ensure_schema``. The common case (already at head) reads the
revision with plain sqlite3 and returns without importing Alembic. Otherwise:
a database written by a newer achatsdesk is refused untouched; an older one is
first copied to the backups folder, then upgraded inside a transaction.

Revision ids equal the file names in migrations/versions/ ("0002_catalogue"),
so the known revisions and the head are read from the folder, not from Alembic
(storage/schema_revision.py, which the quick start reads without this module).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from achatsdesk.errors import HalfMigratedError, MigrationError, NewerDatabaseError

# The revisions' names and the stamp in a database: part of the migration API, read from there.
from achatsdesk.storage.schema_revision import (  # noqa: F401
    MIGRATIONS_DIR,
    VERSIONS_DIR,
    current_revision,
    head_revision,
    known_revisions,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MigrationOutcome:
    previous: str | None
    current: str
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.previous != self.current


def backup_database(db_path: Path, backups_dir: Path, target: str | None = None) -> Path:
    """The pre-upgrade copy (storage/backups.py): one per target revision, not per attempt."""
    from achatsdesk.storage.backups import pre_upgrade_backup

    return pre_upgrade_backup(db_path, backups_dir, target or head_revision())


def _half_migrated(db_path: Path, backups_dir: Path, revision: str, differences: list[str]) -> HalfMigratedError:
    from achatsdesk.storage.backups import find_pre_upgrade_backup

    backup = find_pre_upgrade_backup(db_path, backups_dir, revision)
    if backup is not None:
        hint = (
            f"Restaurez la {backup.label} : vous retrouverez vos données de ce moment-là, "
            "et la base endommagée sera gardée à part dans le dossier « backups ». "
            "Dans la fenêtre, bouton « Restaurer la sauvegarde » ; en ligne de commande, "
            "« achatsdesk-cli doctor --restore-backup »."
        )
    else:
        hint = (
            "Aucune sauvegarde faite avant cette mise à jour n'a été trouvée dans le dossier « backups » : "
            "restaurez une copie de la base faite auparavant, ou contactez le support."
        )
    return HalfMigratedError(
        f"La base de données « {db_path.name} » est restée à moitié mise à jour : elle se dit au schéma "
        f"« {revision} » mais sa structure ne correspond pas à ce schéma. achatsdesk ne l'ouvrira pas telle quelle.",
        hint=hint,
        detail="; ".join(differences[:20]),
        backup=backup.path if backup else None,
    )


def ensure_schema(db_path: Path, backups_dir: Path) -> MigrationOutcome:
    """Refuse a newer or half-upgraded database, back up an older one, then upgrade it to head.

    The whole upgrade is one transaction (migrations/env.py): an error or a kill
    leaves the database at the revision it had before.
    """
    from achatsdesk.storage.schema_shape import shape_differences

    revisions = known_revisions()
    head = revisions[-1]
    current = current_revision(db_path)
    if current == head:
        return MigrationOutcome(current, head, None)
    if current is not None and current not in revisions:
        raise NewerDatabaseError(
            f"La base de données « {db_path} » a été créée par une version plus récente "
            "d'achatsdesk (schéma « " + current + " »).",
            hint="Installez la dernière version d'achatsdesk pour l'ouvrir ; "
            "la base n'a pas été modifiée.",
        )
    backup = None
    if current is not None:
        differences = shape_differences(db_path, current)
        if differences:
            raise _half_migrated(db_path, backups_dir, current, differences)
        backup = backup_database(db_path, backups_dir, head)
    try:
        upgrade_to_head(db_path)
    except MigrationError as exc:
        raise _after_failed_upgrade(db_path, backups_dir, current, backup, exc) from exc
    return MigrationOutcome(current, head, backup)


def _after_failed_upgrade(db_path: Path, backups_dir: Path, previous: str | None, backup: Path | None,
                          error: MigrationError) -> MigrationError:
    """Say truthfully where the failed upgrade left the database."""
    from achatsdesk.storage.schema_shape import shape_differences

    try:
        now = current_revision(db_path)
        differences = shape_differences(db_path, now) if now else []
    except (MigrationError, sqlite3.Error) as exc:
        now, differences = None, [repr(exc)]
    if now is not None and differences:
        return _half_migrated(db_path, backups_dir, now, differences)
    where = "dans son état précédent" if now == previous else f"au schéma intermédiaire « {now} », intacte"
    saved = f" Une copie faite avant la mise à jour est dans le dossier « backups » (« {backup.name} »)." if backup else ""
    return MigrationError(
        f"La mise à jour de la base de données a échoué ; elle est restée {where}.",
        hint="Vos données n'ont pas été modifiées par la tentative." + saved
        + " Relancez achatsdesk ; si l'échec se répète, signalez-le au support avec le message détaillé du journal.",
        detail=error.detail,
    )


def migration_engine(db_path: Path):
    """An engine whose transactions really wrap DDL.

    The sqlite3 module (Python < 3.12, legacy mode) opens a transaction only
    before INSERT/UPDATE/DELETE: CREATE TABLE or ALTER TABLE would run outside
    any transaction and commit at once. SQLAlchemy's documented recipe
    ("Serializable isolation / Savepoints / Transactional DDL", pysqlite
    dialect): turn the driver's handling off and emit BEGIN ourselves.
    IMMEDIATE takes the write lock at once: a concurrent writer waits on the
    busy timeout instead of failing the upgrade midway.
    """
    from sqlalchemy import event

    from achatsdesk.storage.database import make_engine

    engine = make_engine(db_path)

    @event.listens_for(engine, "connect")
    def _driver_transactions_off(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's own advice for schema changes: foreign keys off (a DROP TABLE of a parent in a
        # batch copy-and-move would delete its children); foreign_key_guard checks each migration.
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def foreign_key_violations(connection) -> set[tuple]:
    return {tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()}


def foreign_key_guard(connection):
    """An Alembic on_version_apply callback: the migration just run (still inside its transaction)
    must not leave rows without their parent. Violations already there before are tolerated:
    an old orphan row must not lock the user out of every upgrade."""
    before = foreign_key_violations(connection)
    # End the read's transaction: Alembic must find the connection outside any transaction,
    # or it would run every migration inside this one and never commit it.
    connection.commit()

    def check(*, ctx, step, heads, run_args) -> None:
        new = foreign_key_violations(connection) - before
        if new:
            raise RuntimeError(f"migration {step} leaves rows without their parent: {sorted(new)[:5]}")

    return check


def upgrade_to_head(db_path: Path, target: str = "head") -> None:
    engine = migration_engine(db_path)
    try:
        run_upgrade(engine, target, reached=lambda: current_revision(db_path))
    finally:
        engine.dispose()


def run_upgrade(engine, target: str = "head", *, reached) -> None:
    """Alembic's upgrade on an engine of either kind, in one transaction; ``reached()`` reads the stamp after."""
    # Alembic is imported here only: a database already at head never needs it.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.connect() as connection:  # env.py opens one transaction for the whole chain
            config.attributes["connection"] = connection
            command.upgrade(config, target)
        now = reached()
        expected = head_revision() if target == "head" else target
        if now != expected:  # a migration that committed nothing must not pass for done
            raise RuntimeError(f"upgrade to {expected} left the database at {now}")
    except Exception as exc:
        raise MigrationError(
            "La mise à jour de la base de données a échoué.",
            hint="Relancez achatsdesk ; si l'échec se répète, signalez-le au support.",
            detail=repr(exc),
        ) from exc
