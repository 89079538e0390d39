"""One error path for the shell: every exception reaches the user as a French dialog.

Calm, as Anki's ErrorHandler: each error is logged once (by the path that
shows it); a cancelled task is not an error and shows nothing; while one error
dialog is open, the errors that follow are gathered and shown together once
it is closed, instead of stacking modal dialogs on top of one another.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from achatsdesk.errors import AchatsdeskError, Cancelled

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
    from achatsdesk.services.recovery import is_damage

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


def log_exception(exception: BaseException) -> None:
    """Our errors in one line (they are expected); anything else with its traceback."""
    if isinstance(exception, AchatsdeskError):
        log.warning("%s: %s (%s)", type(exception).__name__, exception.message, exception.detail)
    else:
        log.error("Unexpected error", exc_info=(type(exception), exception, exception.__traceback__))


class _Dialogs:
    """The error dialog on screen, if any, and what arrived while it was open."""

    showing = False
    gathered: list[tuple[str, str]] = []


def show_exception(parent: QWidget | None, exception: BaseException) -> None:
    """Log the error once and word it in a dialog; a cancelled task shows nothing."""
    if isinstance(exception, Cancelled):
        log.info("Cancelled: %s", exception.message)
        return
    log_exception(exception)
    title, message = user_text(exception)
    if _Dialogs.showing:  # re-entry (an error raised while the dialog's event loop runs): gather it
        if (title, message) not in _Dialogs.gathered:
            _Dialogs.gathered.append((title, message))
        return
    _show(parent, title, message)


def _show(parent: QWidget | None, title: str, message: str) -> None:
    _Dialogs.showing = True
    try:
        from PySide6.QtWidgets import QMessageBox  # here: start-up never shows one

        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
        box.setAccessibleName(title)
        box.exec()
    finally:
        _Dialogs.showing = False
    gathered = [(t, m) for t, m in _Dialogs.gathered if (t, m) != (title, message)]
    _Dialogs.gathered = []
    if gathered:  # one more dialog for all of them, after this one is closed
        if len(gathered) == 1:
            QTimer.singleShot(0, lambda: _show(parent, *gathered[0]))
        else:
            text = "D'autres erreurs sont survenues :\n\n" + "\n\n".join(f"• {m}" for _t, m in gathered)
            QTimer.singleShot(0, lambda: _show(parent, "Plusieurs erreurs", text))


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, Exception):  # KeyboardInterrupt, SystemExit: not an error to word
            sys.__excepthook__(kind, value, tb)
            if issubclass(kind, SystemExit) and QApplication.instance() is not None:
                QApplication.instance().quit()
            return
        if value.__traceback__ is None:
            value = value.with_traceback(tb)
        if QApplication.instance() is not None:
            show_exception(QApplication.activeWindow(), value)  # logs it, once
        else:
            log_exception(value)

    sys.excepthook = hook
