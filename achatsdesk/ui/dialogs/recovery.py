"""The one-click restore offered when the database cannot be used as it is
(half-upgraded, damaged): the error's own French text, and a button."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from achatsdesk.errors import AchatsdeskError, RecoverableDatabaseError
from achatsdesk.paths import AppPaths

log = logging.getLogger(__name__)

RESTORE_BUTTON = "Restaurer la sauvegarde"


def offer_restore(parent: QWidget | None, error: RecoverableDatabaseError, paths: AppPaths) -> bool:
    """Show the error with a restore button; True when a backup was put back."""
    from achatsdesk.services.recovery import restore
    from achatsdesk.ui.errors import show_exception

    box = QMessageBox(QMessageBox.Icon.Warning, error.title, error.user_message, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setAccessibleName(error.title)
    restore_button = box.addButton(RESTORE_BUTTON, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Fermer", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)
    box.exec()
    if box.clickedButton() is not restore_button:
        return False
    try:
        outcome = restore(paths, error.backup)
    except AchatsdeskError as exc:
        show_exception(parent, exc)
        return False
    kept = f"\n\nLa base remplacée est gardée dans « {outcome.set_aside} »." if outcome.set_aside else ""
    QMessageBox.information(
        parent, "Sauvegarde restaurée",
        f"La base a été restaurée depuis la {outcome.label}.{kept}\n\nRelancez achatsdesk pour continuer.",
    )
    return True
