"""One error path for the shell: every exception reaches the user as a French dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from achatsdesk.errors import AchatsdeskError

log = logging.getLogger(__name__)

GENERIC_MESSAGE = (
    "Une erreur inattendue est survenue. Votre travail enregistré n'est pas perdu. "
    "Si le problème se reproduit, envoyez le journal (Aide › Ouvrir le dossier des journaux) au support."
)


DAMAGED_MESSAGE = (
    "Une erreur est survenue en lisant la base de données : elle semble endommagée, et ce qui y a été "
    "enregistré pourrait ne plus être lisible en entier. Fermez achatsdesk puis lancez « achatsdesk-cli doctor » : "
    "il vérifie la base et propose de restaurer une sauvegarde ou de récupérer ce qui est lisible."
)


def _says_damaged(exception: BaseException) -> bool:
    """Is a 'database disk image is malformed' (or the like) anywhere in the chain of causes?"""
    from achatsdesk.storage.integrity import is_damage

    seen: BaseException | None = exception
    for _ in range(10):
        if seen is None:
            return False
        if is_damage(seen) or is_damage(getattr(seen, "orig", None) or Exception()):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def user_text(exception: BaseException) -> tuple[str, str]:
    """(title, message) for a dialog: our errors speak for themselves, others do not leak.

    "Votre travail enregistré n'est pas perdu" is said only when the database did not report damage.
    """
    if isinstance(exception, AchatsdeskError):
        return exception.title, exception.user_message
    if _says_damaged(exception):
        return "Base de données endommagée", DAMAGED_MESSAGE
    return "Erreur inattendue", GENERIC_MESSAGE


def show_exception(parent: QWidget | None, exception: BaseException) -> None:
    if isinstance(exception, AchatsdeskError):
        log.warning("%s: %s (%s)", type(exception).__name__, exception.message, exception.detail)
    else:
        log.error("Unexpected error", exc_info=(type(exception), exception, exception.__traceback__))
    title, message = user_text(exception)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.exec()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("Uncaught exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is not None:
            show_exception(QApplication.activeWindow(), value)

    sys.excepthook = hook
