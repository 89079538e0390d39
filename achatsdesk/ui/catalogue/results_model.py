"""The results table's model: a thin adapter over plain SupplierHit rows, fetched page by page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from achatsdesk.domain.formatting import format_number
from achatsdesk.services.catalogue import SupplierHit
from achatsdesk.services.supplier_kinds import KIND_LABELS
from achatsdesk.ui.item_models.rows_model import RowsTableModel

COLUMNS = ("Nom", "Type", "Commune", "Distance", "Secteurs", "Source et date")
Index = QModelIndex | QPersistentModelIndex
# fetch_page(offset, order, descending) -> the rows from `offset` of the whole result set in that
# order (supplier_search.ORDERS); called on scroll (fetchMore) and, from 0, on a header click.
PageFetcher = Callable[[int, str, bool], list[SupplierHit]]
# The query order behind each column; the sectors column has none.
COLUMN_ORDERS = {0: "name", 1: "kind", 2: "commune", 3: "distance", 5: "source_date"}


class SupplierTableModel(RowsTableModel[SupplierHit]):
    """Sorting is a query order: sort() asks the search again from the first row, so the
    first rows shown are the whole result set's first, and lazy loading goes on in that order."""

    columns = COLUMNS
    # (column, descending) now applied; column -1 = relevance (or distance when a place is given).
    order_changed = Signal(int, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._total = 0
        self._fetch: PageFetcher | None = None
        self._has_place = False
        self._column = -1
        self._descending = False

    # -- data in
    def set_results(self, hits: list[SupplierHit], total: int, fetch: PageFetcher | None = None,
                    has_place: bool = False) -> None:
        """Rows already fetched in self.order(); a place makes the distance order available."""
        self.beginResetModel()
        self._rows = list(hits)
        self._total = total
        self._fetch = fetch
        self._has_place = has_place
        self.endResetModel()

    def order(self) -> tuple[str, bool]:
        """The query order to fetch with: (one of supplier_search.ORDERS, descending)."""
        return COLUMN_ORDERS.get(self._column, "relevance"), self._descending

    def reset_order(self) -> None:
        """Relevance again, without fetching: for rows just fetched in that order."""
        self._column, self._descending = -1, False
        self.order_changed.emit(-1, False)

    def has_place(self) -> bool:
        return self._has_place

    def sort_column(self) -> int:
        return self._column

    def sort_descending(self) -> bool:
        return self._descending

    @property
    def total(self) -> int:
        return self._total

    # -- lazy loading
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt API
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt API
        if not self.canFetchMore(parent):
            return
        more = self._fetch(len(self._rows), *self.order()) if self._fetch else []
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # -- Qt model
    def cell(self, hit: SupplierHit, column: int, role: int):
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
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-queries the first page in that order; columns without a query order mean relevance."""
        if column not in COLUMN_ORDERS or (COLUMN_ORDERS[column] == "distance" and not self._has_place):
            column, descending = -1, False
        else:
            descending = order == Qt.SortOrder.DescendingOrder
        changed = (column, descending) != (self._column, self._descending)
        self._column, self._descending = column, descending
        if changed and self._fetch is not None:
            key, backwards = self.order()
            rows = self._fetch(0, key, backwards)
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
        self.order_changed.emit(self._column, self._descending)
