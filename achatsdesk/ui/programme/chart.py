"""Two bar charts drawn with QPainter (offline, like the catalogue map): potential insertion
hours per service, and the number of lines per recommended lever."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from achatsdesk.domain.formatting import format_number

BAR_COLOUR = "#1f6fb2"
LEVER_COLOUR = "#2e7d4f"
LEVER_ROWS_HINT = range(5)  # the five levers


class ProgrammeChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Graphique : heures d'insertion par service et lignes par levier")
        self.setMinimumSize(320, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.hours: list[tuple[str, int]] = []
        self.levers: list[tuple[str, int]] = []

    def set_data(self, hours: list[tuple[str, int]], levers: list[tuple[str, int]]) -> None:
        self.hours, self.levers = hours, levers
        described = "; ".join(f"{name} {format_number(v)} h" for name, v in hours)
        self.setAccessibleDescription(f"Heures par service : {described}. Lignes par levier : "
                                      + "; ".join(f"{name} {v}" for name, v in levers))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.hours and not self.levers:
            painter.setPen(QColor("#555555"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Ouvrez un programme pour voir les graphiques.")
            return
        # Hours above, levers below: both get the full width, so that service names stay readable.
        share = max(len(self.hours), 1) / (max(len(self.hours), 1) + len(LEVER_ROWS_HINT) + 1)
        split = 8 + (self.height() - 16) * share
        self._bars(painter, QRectF(8, 8, self.width() - 16, split - 8), "Heures d'insertion potentielles par service",
                   self.hours, BAR_COLOUR, " h")
        self._bars(painter, QRectF(8, split + 4, self.width() - 16, self.height() - split - 12),
                   "Lignes par levier conseillé", self.levers, LEVER_COLOUR, "")
        painter.end()

    def _bars(self, painter: QPainter, area: QRectF, title: str, data: list[tuple[str, int]], colour: str,
              unit: str) -> None:
        painter.setPen(QColor("#1f2933"))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), 18), Qt.AlignmentFlag.AlignLeft, title)
        font.setBold(False)
        painter.setFont(font)
        if not data:
            return
        top = area.top() + 24
        row = max(14.0, min(24.0, (area.height() - 24) / len(data)))
        label_width = min(220.0, area.width() * 0.45)
        bar_space = max(10.0, area.width() - label_width - 70)
        peak = max(value for _, value in data) or 1
        for index, (name, value) in enumerate(data):
            y = top + index * row
            painter.setPen(QColor("#1f2933"))
            label = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(label_width - 8))
            painter.drawText(QRectF(area.left(), y, label_width - 6, row), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, label)
            width = bar_space * value / peak
            painter.fillRect(QRectF(area.left() + label_width, y + 3, width, row - 6), QColor(colour))
            painter.setPen(QPen(QColor("#1f2933")))
            painter.drawText(QRectF(area.left() + label_width + width + 4, y, 60, row),
                             Qt.AlignmentFlag.AlignVCenter, f"{format_number(value)}{unit}")
