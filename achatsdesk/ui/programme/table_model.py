"""The judged lines as a Qt table (from the programme's JSON document), with a proxy that filters
by text, service, lever and state, and sorts on the raw values (amounts as numbers)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from achatsdesk.domain.formatting import format_money, format_number
from achatsdesk.domain.levers import LEVER_LABELS, Lever
from achatsdesk.domain.text import fold
from achatsdesk.domain.thresholds import PROCEDURE_LABELS

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
LINE_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Ligne", "Service", "Objet", "Montant estimé", "Lancement", "Procédure", "Obligatoires",
           "Levier conseillé", "Heures", "Signalements")
_ROOT = QModelIndex()  # the default "no parent" of a flat table
STATES = {"toutes": "Toutes les lignes", "analysees": "Lignes analysées", "illisibles": "Lignes illisibles",
          "signalees": "Lignes signalées"}


def lever_label(value: str | None) -> str:
    return LEVER_LABELS[Lever(value)] if value else ""


class ProgrammeTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lines: list[dict[str, Any]] = []

    def set_lines(self, lines: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == LINE_ROLE:
            return line
        column = index.column()
        if role == SORT_ROLE:
            return self._sort_value(line, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 6, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and line["error"]:
            return line["error"]
        return None

    @staticmethod
    def _text(line: dict[str, Any], column: int) -> str:
        error = line["error"]
        if column == 0:
            return str(line["line"])
        if column == 1:
            return line["service"] or "Sans service"
        if column == 2:
            return line["title"]
        if error:
            return "Ligne illisible : " + error if column == 5 else ""
        if column == 3:
            return format_money(line["amount_eur"])
        if column == 4:
            return line["launch_text"] or "/".join(reversed(line["launch_date"].split("-")))
        if column == 5:
            return PROCEDURE_LABELS.get(line["procedure"]["id"], line["procedure"]["id"])
        if column == 6:
            return format_number(line["mandatory_count"])
        if column == 7:
            return lever_label(line["lever"])
        if column == 8:
            return format_number(line["hours"])
        return ", ".join(f["label"] for f in line["flags"])

    def _sort_value(self, line: dict[str, Any], column: int):
        if column == 0:
            return line["line"]
        if column == 3:
            return float(line.get("amount_eur") or -1)
        if column == 4:
            return line.get("launch_date") or ""
        if column == 6:
            return line.get("mandatory_count") or 0
        if column == 8:
            return line.get("hours") or 0
        return fold(self._text(line, column))


class ProgrammeFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.text = ""
        self.service: str | None = None
        self.lever: str | None = None
        self.state = "toutes"

    def set_filters(self, *, text: str | None = None, service: str | None = "", lever: str | None = "",
                    state: str | None = None) -> None:
        self.beginFilterChange()  # Qt 6.10: replaces invalidateFilter()
        if text is not None:
            self.text = fold(text.strip())
        if service != "":
            self.service = service
        if lever != "":
            self.lever = lever
        if state is not None:
            self.state = state
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt API
        line = self.sourceModel().lines[row]
        if self.text and self.text not in fold(f"{line['title']} {line['service']} {line.get('cpv') or ''}"):
            return False
        if self.service is not None and (line["service"] or "Sans service") != self.service:
            return False
        if self.lever is not None and line["lever"] != self.lever:
            return False
        if self.state == "analysees" and line["error"]:
            return False
        if self.state == "illisibles" and not line["error"]:
            return False
        return not (self.state == "signalees" and not line["flags"])
