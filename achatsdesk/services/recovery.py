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
