"""What a section page offers the main window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from achatsdesk.ui.context import ShellContext


class Page(QWidget):
    """A section of the window. Subclasses fill the page and may offer toolbar actions."""

    # Emit when status_text() would now say something else (after an import, a save…).
    status_changed = Signal()

    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def toolbar_actions(self) -> list[QAction]:
        """Actions shown in the toolbar while this page is current."""
        return []

    def focus_search(self) -> None:
        """Ctrl+F: put the focus in the page's search field, if it has one."""

    def status_text(self) -> str:
        """A truthful line about the page's data for the status bar."""
        return ""

    def on_shown(self) -> None:
        """Called each time the page becomes current."""

    def can_close(self) -> bool:
        """The window is closing: save what must be (False keeps the window open)."""
        return True

