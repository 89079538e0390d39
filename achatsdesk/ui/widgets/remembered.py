"""Splitter positions the buyer set stay as they were at the next opening."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QSplitter

from achatsdesk.ui.settings import Option, Settings


def remember_splitter(splitter: QSplitter, settings: Settings, option: Option[QByteArray]) -> None:
    """Restore the positions saved in ``option`` (after the default sizes were set) and save each move."""
    saved = settings.get(option)
    if isinstance(saved, QByteArray) and not saved.isEmpty():
        splitter.restoreState(saved)
    splitter.splitterMoved.connect(lambda *_: settings.set(option, splitter.saveState()))
