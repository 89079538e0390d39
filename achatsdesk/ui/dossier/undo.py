"""Undo and redo of dossier edits: each command holds a copy of the dossier before and after.

Successive keystrokes in the same field merge into one command, so Ctrl+Z
undoes a whole typed value rather than one letter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

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
