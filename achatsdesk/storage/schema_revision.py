"""Which schema revision a database holds, and which this version knows: plain sqlite3 and a listing.

The quick start (storage/quick_start.py) asks before the window's first paint, so this
module stays light; migrate.py, which upgrades, re-exports these names.

Revision ids equal the file names in migrations/versions/ ("0002_catalogue"),
so the known revisions and the head are read from the folder, not from Alembic.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from achatsdesk.errors import MigrationError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def known_revisions() -> list[str]:
    """Every revision this version knows, oldest first (file names sort in order).

    The files named ``NNNN_*.py``; a listing and a test per name, the quick start's check
    costs less without pathlib's glob.
    """
    return sorted(name[:-3] for name in os.listdir(VERSIONS_DIR)
                  if name.endswith(".py") and name[:4].isdigit() and name[4:5] == "_" and name[:4].isascii())


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(db_path: Path) -> str | None:
    """The revision stamped in the database, or None for a missing or blank one.

    Opened read-only so that a database we end up refusing is left untouched. A
    zero-length file and an SQLite file of some other program (tables, no
    stamp) are refused, not adopted as a new database: they may be a damaged
    copy of the user's base, or not theirs at all. A file with no table at all
    (a first start killed before its first migration committed) is blank.
    """
    if not db_path.exists():
        return None
    if db_path.stat().st_size == 0:
        raise MigrationError(
            f"Le fichier de base « {db_path} » est vide (0 octet) : ce n'est pas une base achatsdesk.",
            hint="Restaurez une sauvegarde du dossier « backups » (achatsdesk-cli doctor --restore-backup), "
            "ou supprimez ce fichier pour repartir d'une base neuve.",
        )
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MigrationError(
            f"La base « {db_path.name} » ne peut pas être ouverte.",
            hint="Vérifiez que le fichier n'est pas endommagé ou restaurez une sauvegarde.",
            detail=str(exc),
        ) from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        version = None
        if "alembic_version" in tables:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None:
            raise MigrationError(
                f"Le fichier « {db_path} » est une base SQLite qui n'a pas été créée par achatsdesk : "
                "il n'a pas été modifié.",
                hint="Restaurez une sauvegarde du dossier « backups » (achatsdesk-cli doctor --restore-backup), "
                "ou déplacez ce fichier pour repartir d'une base neuve.",
                detail=f"tables: {sorted(tables)[:10]}",
            )
        return version[0]
    except sqlite3.DatabaseError as exc:
        raise MigrationError(
            f"Le fichier « {db_path.name} » n'est pas une base achatsdesk lisible.",
            hint="Restaurez une sauvegarde du dossier « backups » ou supprimez ce fichier pour repartir d'une base neuve.",
            detail=str(exc),
        ) from exc
    finally:
        conn.close()
