"""A thin table model over a list of clause templates (no work in data())."""

from __future__ import annotations

from PySide6.QtCore import Qt

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.ui.item_models.rows_model import ID_ROLE, RowsTableModel

COLUMNS = ("Titre", "Famille", "Nature", "Document", "Secteur", "Origine")
__all__ = ["ID_ROLE", "ClauseListModel"]


class ClauseListModel(RowsTableModel[ClauseTemplate]):
    columns = COLUMNS

    def row_of(self, clause_id: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == clause_id), -1)

    def cell(self, c: ClauseTemplate, column: int, role: int):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            return c.title
        if column == 1:
            return c.family_label
        if column == 2:
            return c.kind_label
        if column == 3:
            return c.document
        if column == 4:
            return (c.sector_label[:1].upper() + c.sector_label[1:]) if c.sector_label else "Tous secteurs"
        return "Livrée" if c.read_only else "Vos clauses"
