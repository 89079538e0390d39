"""The results table's model: a thin adapter over plain SupplierHit rows, fetched page by page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from achatsdesk.catalogue.kinds import KIND_LABELS
from achatsdesk.domain.formatting import format_number
from achatsdesk.services.catalogue import SupplierHit
from achatsdesk.ui.item_models.rows_model import RowsTableModel

COLUMNS = ("Nom", "Type", "Commune", "Distance", "Secteurs", "Source et date")
Index = QModelIndex | QPersistentModelIndex
# fetch_page(offset) -> the next rows; called by the view when it scrolls to the end.
PageFetcher = Callable[[int], list[SupplierHit]]


def _sort_key(column: int):
    keys = {
        0: lambda h: h.name.casefold(),
        1: lambda h: h.kind,
        2: lambda h: (h.commune or "").casefold(),
        3: lambda h: h.distance_km if h.distance_km is not None else float("inf"),
        4: lambda h: ", ".join(h.sectors).casefold(),
        5: lambda h: (h.source_date, h.source),
    }
    return keys[column]


class SupplierTableModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[SupplierHit] = []
        self._total = 0
        self._fetch: PageFetcher | None = None

    # -- data in
    def set_results(self, hits: list[SupplierHit], total: int, fetch: PageFetcher | None = None) -> None:
        self.beginResetModel()
        self._rows = list(hits)
        self._total = total
        self._fetch = fetch
        self.endResetModel()

    def hit(self, row: int) -> SupplierHit | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def hits(self) -> list[SupplierHit]:
        return list(self._rows)

    @property
    def total(self) -> int:
        return self._total

    # -- lazy loading
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt API
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt API
        if not self.canFetchMore(parent):
            return
        more = self._fetch(len(self._rows)) if self._fetch else []
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # -- Qt model
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        hit = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return hit.name if not hit.brand or hit.brand.casefold() == hit.name.casefold() else f"{hit.name} ({hit.brand})"
            if column == 1:
                return hit.kind
            if column == 2:
                return f"{hit.commune or '—'} ({hit.departement or '?'})"
            if column == 3:
                return f"{format_number(hit.distance_km, 1)} km" if hit.distance_km is not None else ""
            if column == 4:
                return ", ".join(hit.sectors)
            if column == 5:
                return f"{hit.source} ({hit.source_date})"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return KIND_LABELS.get(hit.kind, hit.kind)
            if column == 4 and hit.sectors:
                return "Secteurs déduits du code NAF, à vérifier : " + ", ".join(hit.sectors)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return hit.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts the rows already loaded (the search itself orders by relevance or distance)."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_positions = {id(hit): row for row, hit in enumerate(self._rows)}
        self._rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new_row = {old_positions[id(hit)]: row for row, hit in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[i.row()], i.column()) if i.row() in new_row else QModelIndex() for i in persistent]
        )
        self.layoutChanged.emit()
