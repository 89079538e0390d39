"""A thin table model over a list of clause templates (no work in data())."""

from __future__ import annotations

from PySide6.QtCore import Qt

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.ui.item_models.rows_model import RowsTableModel

COLUMNS = ("Titre", "Famille", "Nature", "Document", "Secteur", "Origine")
ID_ROLE = Qt.ItemDataRole.UserRole


class ClauseListModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._clauses: list[ClauseTemplate] = []

    def set_clauses(self, clauses: list[ClauseTemplate]) -> None:
        self.beginResetModel()
        self._clauses = list(clauses)
        self._rows = [
            (c.title, c.family_label, c.kind_label, c.document, (c.sector_label[:1].upper() + c.sector_label[1:]) if c.sector_label else "Tous secteurs",
             "Livrée" if c.read_only else "Vos clauses")
            for c in self._clauses
        ]
        self.endResetModel()

    def clause(self, row: int) -> ClauseTemplate:
        return self._clauses[row]

    def row_of(self, clause_id: str) -> int:
        return next((i for i, c in enumerate(self._clauses) if c.id == clause_id), -1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == ID_ROLE:
            return self._clauses[index.row()].id
        return None
