"""A thin table model over the dossiers list (plain rows fetched by the page, no SQL here)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.dossier_status import STATUS_LABELS
from achatsdesk.domain.formatting import format_date_short
from achatsdesk.storage.dossier_summaries import DossierSummary
from achatsdesk.ui.item_models.rows_model import RowsTableModel

COLUMNS = ("Intitulé", "Acheteur", "Montant estimé", "Lancement", "Statut", "Modifié le")
ID_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


class DossierListModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DossierSummary] = []

    def set_rows(self, rows: list[DossierSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> DossierSummary:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = index.column()
            if column == 0:
                return row.title or "(sans intitulé)"
            if column == 1:
                return row.buyer_name
            if column == 2:
                return format_amount(row.amount_eur)
            if column == 3:
                return format_date_short(row.launch_date) if row.launch_date else "Non renseignée"
            if column == 4:
                return STATUS_LABELS[row.status]
            if column == 5:
                return format_date_short(row.updated_at.date())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
