"""The one-click restore offered when the database cannot be used as it is
(half-upgraded, damaged): the error's own French text, and a button."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from achatsdesk.domain.formatting import format_number
from achatsdesk.errors import AchatsdeskError, DamagedDatabaseError, RecoverableDatabaseError
from achatsdesk.paths import AppPaths

log = logging.getLogger(__name__)

RESTORE_BUTTON = "Restaurer la sauvegarde"
SALVAGE_BUTTON = "Récupérer ce qui est lisible"


def offer_restore(parent: QWidget | None, error: RecoverableDatabaseError, paths: AppPaths) -> bool:
    """Show the error with its restore (and, for a damaged base, salvage) button; True when the base was replaced."""
    from achatsdesk.services.recovery import restore, salvage
    from achatsdesk.ui.errors import show_exception

    box = QMessageBox(QMessageBox.Icon.Warning, error.title, error.user_message, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setAccessibleName(error.title)
    restore_button = box.addButton(RESTORE_BUTTON, QMessageBox.ButtonRole.AcceptRole) if error.backup else None
    salvage_button = (box.addButton(SALVAGE_BUTTON, QMessageBox.ButtonRole.ActionRole)
                      if isinstance(error, DamagedDatabaseError) else None)
    box.addButton("Fermer", QMessageBox.ButtonRole.RejectRole)
    if restore_button is not None:
        box.setDefaultButton(restore_button)
    box.exec()
    clicked = box.clickedButton()
    try:
        if clicked is not None and clicked is restore_button:
            outcome = restore(paths, error.backup)
            title, text = "Sauvegarde restaurée", f"La base a été restaurée depuis la {outcome.label}."
            kept = outcome.set_aside
        elif clicked is not None and clicked is salvage_button:
            result = salvage(paths)
            title = "Base récupérée"
            text = (f"Ce qui était lisible a été repris dans une nouvelle base ({result.method}) : "
                    f"{format_number(result.rows_copied)} lignes reprises, "
                    f"{format_number(result.rows_lost)} illisibles perdues.")
            kept = result.set_aside
        else:
            return False
    except AchatsdeskError as exc:
        show_exception(parent, exc)
        return False
    kept_text = f"\n\nLa base remplacée est gardée dans « {kept} »." if kept else ""
    QMessageBox.information(parent, title, f"{text}{kept_text}\n\nRelancez achatsdesk pour continuer.")
    return True
