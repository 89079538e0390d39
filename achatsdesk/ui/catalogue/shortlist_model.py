"""The suppliers of one shortlist as a table: a thin model over plain ShortlistEntry rows.

Shown by the "Listes de fournisseurs" dialog and by the dossier's "Fournisseurs
présélectionnés" box (where the distance from the place of execution is known).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from achatsdesk.domain.formatting import format_number
from achatsdesk.services.catalogue_shortlists import ShortlistEntry
from achatsdesk.services.supplier_kinds import KIND_LABELS
from achatsdesk.ui.item_models.rows_model import RowsTableModel

COLUMNS = ("Nom", "Type", "Commune", "Distance", "Source")


class ShortlistEntriesModel(RowsTableModel[ShortlistEntry]):
    columns = COLUMNS

    def row_id(self, entry: ShortlistEntry) -> int | None:
        return entry.supplier_id  # None: a colleague's supplier this catalogue does not hold

    def cell(self, entry: ShortlistEntry, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.name
            if column == 1:
                return entry.kind
            if column == 2:
                return entry.commune or "—"
            if column == 3:
                return f"{format_number(entry.distance_km, 1)} km" if entry.distance_km is not None else ""
            if column == 4:
                return f"{entry.source} ({entry.source_date})" if entry.source_date else entry.source
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return KIND_LABELS.get(entry.kind, entry.kind)
            if column == 0:
                parts = [f"SIRET {entry.siret}"] if entry.siret else []
                if entry.supplier_id is None:
                    parts.append("absente du catalogue de ce poste (ajoutée par un collègue)")
                return " · ".join(parts) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
