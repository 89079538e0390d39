"""Undo and redo of dossier edits: each command holds a copy of the dossier before and after.

Successive keystrokes in the same field merge into one command, so Ctrl+Z
undoes a whole typed value rather than one letter. ``UndoKeyRouter`` lets
Ctrl+Z / Ctrl+Y reach that stack from any field of the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_MERGE_IDS: dict[str, int] = {}


def merge_id(key: str | None) -> int:
    if not key:
        return -1
    return _MERGE_IDS.setdefault(key, 1000 + len(_MERGE_IDS))


class SnapshotCommand(QUndoCommand):
    def __init__(self, apply: Callable[[Any], None], before: Any, after: Any,
                 text: str, key: str | None = None) -> None:
        super().__init__(text)
        self._apply, self.before, self.after, self._id = apply, before, after, merge_id(key)

    def id(self) -> int:  # noqa: A003 - Qt API
        return self._id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, SnapshotCommand) or other.id() != self.id() or self._id == -1:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class UndoKeyRouter(QObject):
    """Ctrl+Z / Ctrl+Y typed in any field of ``editor`` go to the dossier's undo and redo actions.

    A line edit or a spin box claims these keys (ShortcutOverride) even when it has nothing to
    undo, so that after typing an amount and moving on with Tab, Ctrl+Z did nothing. The field
    keeps them only while it has typing of its own to undo (or redo)."""

    def __init__(self, editor: QWidget) -> None:
        super().__init__(editor)
        self._editor = editor
        app = QApplication.instance()
        app.focusChanged.connect(self._watch)  # a slot of a QObject: disconnected when it goes
        if app.focusWidget() is not None:
            self._watch(None, app.focusWidget())

    def _watch(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._editor.isAncestorOf(new):
            new.installEventFilter(self)  # installing twice keeps one filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo) or _is_key(event, "Ctrl+Z")
            redo = event.matches(QKeySequence.StandardKey.Redo) or _is_key(event, "Ctrl+Y")
            if (undo or redo) and not field_can(watched, undo):
                event.ignore()  # not claimed by the field: the editor's shortcut fires
                return True
        return False


def _is_key(event: QKeyEvent, keys: str) -> bool:
    return QKeySequence(event.keyCombination()) == QKeySequence(keys)


def field_can(widget: QObject, undo: bool) -> bool:
    """True when the field has typing of its own to undo (``undo``) or to redo."""
    if isinstance(widget, QAbstractSpinBox):
        widget = widget.findChild(QLineEdit)
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable() if undo else widget.isRedoAvailable()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        document = widget.document()
        return document.isUndoAvailable() if undo else document.isRedoAvailable()
    return False
