"""The one thin table model over a list of plain rows (napari's base item model, in small).

The base owns the rows: ``set_rows``, ``row(i)`` and ``rows()``, the bounds
checks, and ``UserRole`` → the row's id (``row_id``). A subclass names its
``columns`` and answers ``cell(row, column, role)`` for one valid row; rows are
plain objects handed over by a service (never SQL inside a model).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
R = TypeVar("R")
# Looked up once: a view asks data() and headerData() thousands of times per paint (every role of
# every visible cell, 200 row headers for their width), and each ``Qt.X.Y`` costs a lookup.
_ID = int(ID_ROLE)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_HORIZONTAL = Qt.Orientation.Horizontal


class RowsTableModel(QAbstractTableModel, Generic[R]):
    columns: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    # -- the rows
    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> R | None:
        """The row at this position, None out of bounds."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_id(self, row: R) -> Any:
        """What ``UserRole`` answers: the row's id."""
        return getattr(row, "id", None)

    def cell(self, row: R, column: int, role: int) -> Any:
        """What one valid row shows in a column for a role (None: nothing)."""
        return None

    # -- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        position, column, rows = index.row(), index.column(), self._rows
        if not (0 <= position < len(rows)) or not (0 <= column < len(self.columns)) or not index.isValid():
            return None
        row = rows[position]
        if role == _ID:
            return self.row_id(row)
        return self.cell(row, column, role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == _DISPLAY and orientation == _HORIZONTAL and 0 <= section < len(self.columns):
            return self.columns[section]
        return None
