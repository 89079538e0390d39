"""Open and save dialogs that start in the last folder the buyer used.

One place for "remember the last folder": every file dialog of the shell
starts in ``start_folder`` (the last folder used, else Documents, else the
home folder) and the chosen file's folder is remembered for the next one.
Each area keeps its own small ``choose_…`` function around these, so that a
test can stand in for the user. ``frenchify`` puts Qt's own (non-native) dialog in
French: the labels qtbase_fr leaves out and the file types ("Drive", "Folder",
"txt File") Qt's file system model names in English.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from achatsdesk.ui.settings import Settings


def start_folder(settings: Settings) -> Path:
    """Where a file dialog opens: the last folder used if it still exists, else Documents, else home."""
    remembered = settings.get(Settings.last_folder)
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def remember_folder(settings: Settings, chosen: Path | str) -> None:
    """The folder of a chosen file: the next dialog starts there."""
    settings.set(Settings.last_folder, str(Path(chosen).parent))


def with_suffix(chosen: Path | str, suffix: str) -> Path:
    """The chosen name with its file type added when the buyer left it out."""
    path = Path(chosen)
    return path if path.suffix.lower() == suffix.lower() else path.with_name(path.name + suffix)


def open_file_name(parent: QWidget | None, title: str, start: str, file_filter: str) -> str:
    """The system's open dialog; "" when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, start, file_filter)
    return path


def save_file_name(parent: QWidget | None, title: str, start: str, file_filter: str) -> str:
    """The system's save dialog (it asks before replacing a file); "" when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    return path


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
