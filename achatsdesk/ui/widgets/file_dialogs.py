"""Qt's own (non-native) file dialog in French: the labels qtbase_fr leaves out and the
file types ("Drive", "Folder", "txt File") Qt's file system model names in English."""

from __future__ import annotations

import re

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog

_TYPES = {"Drive": "Lecteur", "Folder": "Dossier", "File": "Fichier", "File Folder": "Dossier", "Alias": "Raccourci",
          "Shortcut": "Raccourci", "Unknown": "Inconnu"}
_SUFFIXED = re.compile(r"^(\w+) File$")


def french_type(text: str) -> str:
    if text in _TYPES:
        return _TYPES[text]
    found = _SUFFIXED.match(text)
    return f"Fichier {found.group(1).upper()}" if found else text


class FrenchTypes(QIdentityProxyModel):
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        value = super().data(index, role)
        if role == Qt.ItemDataRole.DisplayRole and isinstance(value, str):
            return french_type(value)
        return value

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        value = super().headerData(section, orientation, role)
        return french_type(value) if isinstance(value, str) else value


def frenchify(dialog: QFileDialog) -> QFileDialog:
    """Labels and file types of a non-native QFileDialog in French (native dialogs follow the system)."""
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setProxyModel(FrenchTypes(dialog))
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "Regarder dans :")
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, "Nom du fichier :")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "Type de fichier :")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Annuler")
    return dialog
