"""One application-wide guard: the mouse wheel never changes a spin box or a combo box
the user has not clicked.

Scrolling a long step with the wheel used to change whatever field passed under the
pointer ("Coût horaire chargé" 30 → 34 €/h). With the guard, such a field only takes
the wheel once it has the keyboard focus; otherwise the wheel scrolls the page it is in.

The guard is an application-wide event filter: every event of every object passes
through Python, and PySide6 builds the Python type (and enums) of each object it
hands over. Start-up installs it after the window's first paint (no wheel can reach
a window not yet shown); the fields polished before then get the same focus policy
at installation.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QAbstractSpinBox, QComboBox)


class WheelGuard(QObject):
    """Installed once on the QApplication (see ``install_wheel_guard``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED):
            # The default WheelFocus would give the field the focus on the first wheel turn.
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, _GUARDED) and not watched.hasFocus():
            _scroll_enclosing_area(watched, event)
            return True
        return False


def _scroll_enclosing_area(widget: QWidget, event: QEvent) -> None:
    """Hand the wheel to the page that holds the field, so that the page still scrolls."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        QCoreApplication.sendEvent(parent.verticalScrollBar(), event)


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on the application once; returns it (idempotent)."""
    global _installed
    app = app or QApplication.instance()
    if _installed is not None and _installed.parent() is app:
        return _installed
    _installed = WheelGuard(app)
    app.installEventFilter(_installed)
    for window in app.topLevelWidgets():  # fields polished before the guard was there
        for kind in _GUARDED:
            for widget in window.findChildren(kind):
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return _installed


_installed: WheelGuard | None = None
