"""One exception hierarchy for achatsdesk.

The core raises these; the shells (Qt dialogs, the command line) show
``user_message`` as it is. Every message is French, says what happened and
what to do. Technical detail goes to the log, never to the user.
"""

from __future__ import annotations

from datetime import datetime


class AchatsdeskError(Exception):
    """Base of every error a user may read."""

    title = "Une erreur est survenue"

    def __init__(self, message: str, *, hint: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.detail = detail  # for the log only

    @property
    def user_message(self) -> str:
        return f"{self.message} {self.hint}".strip()


class StorageError(AchatsdeskError):
    title = "Problème de base de données"


class StaleDossierError(StorageError):
    """A save started from a revision of the dossier that is no longer the stored one.

    ``changed_by`` / ``changed_at`` say who saved the stored revision and when (the login role
    on the team server, the system user alone), when known: the message names them.
    """

    title = "Dossier modifié ailleurs"

    def __init__(self, dossier_id: int, expected: int, stored: int, changed_by: str = "",
                 changed_at: datetime | None = None) -> None:
        super().__init__(
            f"Ce dossier a été modifié{_by_and_when(changed_by, changed_at)} depuis que vous l'avez ouvert "
            "(dans une autre fenêtre ou sur un autre poste) : votre version n'a pas été enregistrée par-dessus.",
            hint="Rechargez le dossier pour voir la dernière version, ou gardez votre version comme une copie : "
                 "rien n'est perdu.",
            detail=f"dossier {dossier_id}: save from revision {expected}, stored revision {stored} "
                   f"by {changed_by or '?'} at {changed_at or '?'}",
        )
        self.dossier_id = dossier_id
        self.expected = expected
        self.stored = stored
        self.changed_by = changed_by
        self.changed_at = changed_at


def _by_and_when(who: str, when: datetime | None) -> str:
    """ " par dupont le 01/12/2026 à 14:05" (either part left out when unknown)."""
    text = f" par {who}" if who else ""
    if when is not None:
        text += f" le {when:%d/%m/%Y} à {when:%H:%M}"
    return text


class NewerDatabaseError(StorageError):
    """The database was written by a newer achatsdesk: we refuse to touch it."""

    title = "Base de données plus récente"


class MigrationError(StorageError):
    title = "Mise à jour de la base impossible"


class RecoverableDatabaseError(StorageError):
    """The database cannot be used as it is, but a backup (``backup``) can replace it.

    The window offers to restore it in one click; the command line with
    ``achatsdesk-cli doctor --restore-backup``.
    """

    def __init__(self, message: str, *, hint: str = "", detail: str = "", backup=None) -> None:
        super().__init__(message, hint=hint, detail=detail)
        self.backup = backup  # pathlib.Path of the backup to restore, or None when there is none


class HalfMigratedError(RecoverableDatabaseError):
    """alembic_version and the tables disagree: an upgrade stopped halfway (before transactional upgrades)."""

    title = "Base à moitié mise à jour"


class DamagedDatabaseError(RecoverableDatabaseError):
    """SQLite's own check found damaged pages: no write until it is restored or salvaged."""

    title = "Base de données endommagée"


class ReferenceDataError(AchatsdeskError):
    title = "Données de référence"


class InputFileError(AchatsdeskError):
    """A file given by the user cannot be read as expected."""

    title = "Fichier illisible"


class ValidationError(AchatsdeskError):
    """A value entered by the user is not acceptable."""

    title = "Valeur incorrecte"


class NotFoundError(AchatsdeskError):
    title = "Introuvable"


class OutputFileError(AchatsdeskError):
    """A document could not be written where the user asked."""

    title = "Enregistrement impossible"


class Cancelled(AchatsdeskError):  # noqa: N818 - it is not a failure
    """The user cancelled a long task; nothing was changed."""

    title = "Opération annulée"

    def __init__(self, message: str = "Opération annulée : rien n'a été modifié.") -> None:
        super().__init__(message)
