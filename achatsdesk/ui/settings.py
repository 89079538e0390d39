"""Typed settings declared once, with defaults, stored with QSettings (INI) in the config folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    kind: type


class Settings:
    """Every option the shell remembers. Add new ones here, never ad hoc."""

    window_geometry = Option("window/geometry", QByteArray(), QByteArray)
    window_state = Option("window/state", QByteArray(), QByteArray)
    current_section = Option("window/section", "dossiers", str)
    last_folder = Option("files/last_folder", "", str)
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
        self._store.setValue(option.key, value)

    def get_key(self, key: str, default: Any = None) -> Any:
        """For per-widget state (splitters, column widths) keyed by the widget."""
        return self._store.value(key, default)

    def set_key(self, key: str, value: Any) -> None:
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()
