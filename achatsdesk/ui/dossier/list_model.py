"""A thin table model over the dossiers list (plain rows fetched by the page, no SQL here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.dossier_status import STATUS_LABELS
from achatsdesk.domain.formatting import format_date_short
from achatsdesk.services.dossier_list import DossierSummary, LazySummaries
from achatsdesk.ui.item_models.rows_model import ID_ROLE, RowsTableModel

COLUMNS = ("Intitulé", "Acheteur", "Montant estimé", "Lancement", "Statut", "Modifié le")
STATUS_COLUMN = COLUMNS.index("Statut")
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
__all__ = ["ID_ROLE", "STATUS_COLUMN", "DossierListModel"]


class DossierListModel(RowsTableModel[DossierSummary]):
    columns = COLUMNS

    def set_rows(self, rows: Sequence[DossierSummary]) -> None:
        if not isinstance(rows, LazySummaries):
            super().set_rows(rows)
            return
        # Kept as it is (not copied into a list): its lines are made as the view asks for them.
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def cell(self, row: DossierSummary, column: int, role: int) -> Any:
        if role in _TEXT_ROLES:
            if column == 0:
                return row.title or "(sans intitulé)"
            if column == 1:
                return row.buyer_name
            if column == 2:
                return format_amount(row.amount_eur)
            if column == 3:
                return format_date_short(row.launch_date) if row.launch_date else "Non renseignée"
            if column == STATUS_COLUMN:
                taken = f" · emporté par {row.taken_by}" if row.taken_by else ""
                return STATUS_LABELS[row.status] + taken
            if column == 5:
                return format_date_short(row.updated_at.date())
        if role == _TOOLTIP and column == STATUS_COLUMN and row.taken_by:
            return (f"Emporté hors connexion par {row.taken_by} : ses modifications reviendront sur le serveur "
                    "quand il le rapportera. Une modification faite ici entre-temps lui sera présentée, "
                    "champ par champ, à son retour.")
        if role == _ALIGNMENT and column == 2:
            return _RIGHT
        return None
