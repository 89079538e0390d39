"""Bring the database to the schema this version expects, safely.

Start-up calls ``ensure_schema``. The common case (already at head) reads the
revision with plain sqlite3 and returns without importing Alembic. Otherwise:
a database written by a newer achatsdesk is refused untouched; an older one is
first copied to the backups folder, then upgraded inside a transaction.

Revision ids equal the file names in migrations/versions/ ("0002_catalogue"),
so the known revisions and the head are read from the folder, not from Alembic.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from achatsdesk.errors import MigrationError, NewerDatabaseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def known_revisions() -> list[str]:
    """Every revision this version knows, oldest first (file names sort in order)."""
    return sorted(p.stem for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


@dataclass(frozen=True)
class MigrationOutcome:
    previous: str | None
    current: str
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.previous != self.current


def current_revision(db_path: Path) -> str | None:
    """The revision stamped in the database, or None for a new/empty one.

    Opened read-only so that a database we end up refusing is left untouched.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MigrationError(
            f"La base « {db_path.name} » ne peut pas être ouverte.",
            hint="Vérifiez que le fichier n'est pas endommagé ou restaurez une sauvegarde.",
            detail=str(exc),
        ) from exc
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    except sqlite3.DatabaseError as exc:
        raise MigrationError(
            f"Le fichier « {db_path.name} » n'est pas une base achatsdesk lisible.",
            hint="Restaurez une sauvegarde du dossier « backups » ou supprimez ce fichier pour repartir d'une base neuve.",
            detail=str(exc),
        ) from exc
    finally:
        conn.close()


def backup_database(db_path: Path, backups_dir: Path, revision: str | None) -> Path:
    """A consistent copy (sqlite3's online backup, WAL included) with a timestamp."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{db_path.stem}-{stamp}-{revision or 'vide'}.sqlite3"
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    log.info("Database backed up to %s before migration", target)
    return target


def ensure_schema(db_path: Path, backups_dir: Path) -> MigrationOutcome:
    """Refuse a newer database, back up an older one, then upgrade it to head."""
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
        backup = backup_database(db_path, backups_dir, current)
    upgrade_to_head(db_path)
    return MigrationOutcome(current, head, backup)


def upgrade_to_head(db_path: Path, target: str = "head") -> None:
    # Alembic is imported here only: a database already at head never needs it.
    from alembic import command
    from alembic.config import Config

    from achatsdesk.storage.database import make_engine

    engine = make_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    except Exception as exc:
        raise MigrationError(
            "La mise à jour de la base de données a échoué ; elle est restée dans son état précédent.",
            hint="Une sauvegarde a été faite dans le dossier « backups ». Contactez le support avec le journal.",
            detail=repr(exc),
        ) from exc
    finally:
        engine.dispose()
