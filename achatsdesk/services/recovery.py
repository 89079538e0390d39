"""Put a backup back in place of the database: the one-click restore of the window
and ``achatsdesk-cli doctor --restore-backup``.

Which backup: for a half-upgraded database, the copy made before that upgrade;
otherwise (damaged, emptied, replaced by another file) the newest backup that
passes SQLite's check. The database it replaces is set aside in the backups
folder, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from achatsdesk.errors import MigrationError, NotFoundError
from achatsdesk.paths import AppPaths


def damaged_error(db_path: Path, backups_dir: Path, problems: list[str]):
    """The French DamagedDatabaseError for a file that failed SQLite's check, with the backup to offer."""
    from achatsdesk.errors import DamagedDatabaseError
    from achatsdesk.storage.backups import latest_good_backup

    backup = latest_good_backup(db_path, backups_dir)
    if backup:
        what_to_do = (f"Vous pouvez restaurer la {backup.label} (ce qui a été fait depuis sera perdu), ou récupérer "
                      "ce qui est encore lisible dans une nouvelle base (la base endommagée est gardée à part). "
                      "Dans la fenêtre : boutons « Restaurer la sauvegarde » et « Récupérer ce qui est lisible » ; "
                      "en ligne de commande : « achatsdesk-cli doctor --restore-backup » ou "
                      "« achatsdesk-cli doctor --salvage ».")
    else:
        what_to_do = ("Aucune sauvegarde lisible n'a été trouvée dans le dossier « backups » : vous pouvez récupérer "
                      "ce qui est encore lisible dans une nouvelle base (la base endommagée est gardée à part). "
                      "Dans la fenêtre : bouton « Récupérer ce qui est lisible » ; en ligne de commande : "
                      "« achatsdesk-cli doctor --salvage ».")
    return DamagedDatabaseError(
        f"La base de données « {db_path.name} » est endommagée : le contrôle de SQLite y a trouvé "
        f"des pages illisibles ({len(problems)} problème{'s' if len(problems) > 1 else ''}). "
        "achatsdesk ne l'ouvre pas, pour ne rien écrire sur une base abîmée.",
        hint=what_to_do,
        detail="; ".join(problems[:10]),
        backup=backup.path if backup else None,
    )


def backup_on_close(paths: AppPaths, *, now=None, keep_days: int | None = None) -> Path | None:
    """Today's backup if there is none yet (the window calls it on close); old ones pruned."""
    from achatsdesk.storage.backups import DEFAULT_KEEP_DAYS, daily_backup

    return daily_backup(paths.database, paths.backups, now=now, keep_days=keep_days or DEFAULT_KEEP_DAYS)


@dataclass(frozen=True)
class SalvageResult:
    method: str
    rows_copied: int
    rows_lost: int
    set_aside: Path | None  # the damaged database, kept


def salvage(paths: AppPaths) -> SalvageResult:
    """Copy what can still be read into a new base, check it, and put it in place of the damaged one."""
    from datetime import datetime

    from achatsdesk.storage import backups, integrity

    if not paths.database.is_file():
        raise NotFoundError(f"Il n'y a pas de base « {paths.database} » à récupérer.")
    target = paths.backups / f"{paths.database.stem}-recuperee-{datetime.now():%Y-%m-%d-%H%M%S}.sqlite3"
    paths.backups.mkdir(parents=True, exist_ok=True)
    outcome = integrity.salvage(paths.database, target)
    kept = backups.restore_backup(paths.database, paths.backups, outcome.path)
    return SalvageResult(outcome.method, outcome.rows_copied, outcome.rows_lost, kept)


@dataclass(frozen=True)
class RestoreOutcome:
    restored_from: Path
    label: str
    set_aside: Path | None  # the database that was replaced, kept


def backup_to_restore(paths: AppPaths):
    """The backups.Backup that should replace the database now, or None."""
    from achatsdesk.storage import backups, migrate
    from achatsdesk.storage.schema_shape import shape_differences

    db_path = paths.database
    try:
        revision = migrate.current_revision(db_path)
    except MigrationError:
        revision = None
    if revision in migrate.known_revisions() and revision != migrate.head_revision():
        try:
            half = bool(shape_differences(db_path, revision))
        except Exception:  # noqa: BLE001 - unreadable structure: fall back to the latest good copy
            half = False
        if half and (backup := backups.find_pre_upgrade_backup(db_path, paths.backups, revision)):
            return backup
    return backups.latest_good_backup(db_path, paths.backups)


def restore(paths: AppPaths, backup_path: Path | None = None) -> RestoreOutcome:
    from achatsdesk.storage import backups

    if backup_path is None:
        chosen = backup_to_restore(paths)
        if chosen is None:
            raise NotFoundError(
                f"Aucune sauvegarde lisible dans le dossier « {paths.backups} » : rien n'a été restauré.",
                hint="Si vous avez une copie de la base ailleurs, donnez son chemin à --restore-backup.",
            )
        backup_path, label = chosen.path, chosen.label
    else:
        label = f"sauvegarde « {backup_path.name} »"
    kept = backups.restore_backup(paths.database, paths.backups, backup_path)
    return RestoreOutcome(backup_path, label, kept)


def is_damage(exc: BaseException) -> bool:
    """Does this error say that the database file itself is damaged? (for the shell's error path)"""
    from achatsdesk.storage.integrity import is_damage as said_by_sqlite

    return said_by_sqlite(exc)
