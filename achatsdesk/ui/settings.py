"""Typed settings declared once, with defaults, stored with QSettings (INI) in the config folder.

Every preference the shell remembers is an ``Option`` of ``Settings`` (Picard's
options, in small): its key, its default and its type are written once, here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


class Option(NamedTuple, Generic[T]):  # not a dataclass: defined before the first paint (main_window.Section)
    key: str
    default: T
    kind: type


class Settings:
    """Every option the shell remembers. Add new ones here, never ad hoc."""

    annex_template = Option("documents/annex_template", "", str)  # the organisation's Word template (.docx/.dotx)
    # Column widths the buyer set (QSplitter.saveState), one per splitter (widgets/remembered.py).
    dossier_editor_splitter = Option("dossier_editor/splitter", QByteArray(), QByteArray)
    catalogue_splitter = Option("catalogue/splitter", QByteArray(), QByteArray)
    clauses_splitter = Option("clauses/splitter", QByteArray(), QByteArray)
    shortlists_splitter = Option("shortlists/splitter", QByteArray(), QByteArray)
    # Where the next file dialog opens (widgets/file_dialogs.py) is files/last_folder below.

    window_geometry = Option("window/geometry", QByteArray(), QByteArray)
    window_state = Option("window/state", QByteArray(), QByteArray)
    current_section = Option("window/section", "dossiers", str)
    last_folder = Option("files/last_folder", "", str)
    recent_files = Option("files/recent", "", str)
    reviewer_name = Option("review/reviewer_name", "", str)  # the head's name, typed once  # .achatsdesk files opened, newest first, one per line
    welcome_seen = Option("window/welcome_seen", False, bool)
    # Days the daily and pre-import backups are kept (docs/backups.md); the newest always stays.
    backup_keep_days = Option("backups/keep_days", 14, int)

    def __init__(self, config_dir: Path) -> None:
        config_dir.mkdir(parents=True, exist_ok=True)
        self._store = QSettings(str(config_dir / "achatsdesk.ini"), QSettings.Format.IniFormat)

    def get(self, option: Option[T]) -> T:
        value: Any = self._store.value(option.key, option.default)
        if option.kind is bool and isinstance(value, str):
            return value.lower() in ("true", "1")  # type: ignore[return-value]
        if value is None:
            return option.default
        try:
            return option.kind(value) if not isinstance(value, option.kind) else value
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        # The same text or bytes as stored is not set again: QSettings would rewrite the file
        # (a lock, two fdatasync, a rename) at each close of a window that did not move.
        if isinstance(value, str | QByteArray) and self._store.contains(option.key):
            stored = self._store.value(option.key)
            if type(stored) is type(value) and stored == value:
                return
        self._store.setValue(option.key, value)

    def sync(self) -> None:
        self._store.sync()
