"""Planned vs realised insertion hours per year, drawn with QPainter (QtCharts is not
in PySide6-Essentials): two bars per year, a scale, a legend, French numbers."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from achatsdesk.domain.formatting import format_number

PLANNED = QColor("#9db4d6")
REALISED = QColor("#0b5cd5")


class HoursChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years: list[tuple[int, Decimal, Decimal]] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Heures d'insertion prévues et réalisées par année")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, 260)

    def set_years(self, years: list[tuple[int, Decimal, Decimal]]) -> None:
        self.years = list(years)
        described = "; ".join(f"{y} : {format_number(p)} h prévues, {format_number(r)} h réalisées"
                              for y, p, r in self.years)
        self.setAccessibleDescription(described or "Aucune heure d'insertion sur des marchés attribués.")
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()  # even if drawing failed: an active painter left behind crashes Qt

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        left, top, right, bottom = 70, 40, 16, 36
        area = QRectF(left, top, max(self.width() - left - right, 10), max(self.height() - top - bottom, 10))
        painter.setPen(QPen(QColor("#1f2933")))
        if not self.years:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "Aucune heure d'insertion sur des marchés attribués pour l'instant.")
            return
        top_value = float(max(max(p, r) for _, p, r in self.years)) or 1.0
        # Scale: four lines, labelled in hours.
        for step in range(5):
            value = top_value * step / 4
            y = area.bottom() - area.height() * step / 4
            painter.setPen(QPen(QColor("#d5dae1")))
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            painter.setPen(QPen(QColor("#1f2933")))
            painter.drawText(QRectF(0, y - 9, left - 6, 18), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{format_number(value)} h")
        slot = area.width() / len(self.years)
        bar = min(slot / 3, 60)
        for index, (year, planned, realised) in enumerate(self.years):
            x = area.left() + slot * index + (slot - 2 * bar) / 2
            for offset, value, colour in ((0, planned, PLANNED), (bar, realised, REALISED)):
                height = area.height() * float(value) / top_value
                painter.fillRect(QRectF(x + offset, area.bottom() - height, bar - 2, height), colour)
            painter.drawText(QRectF(x - 10, area.bottom() + 4, 2 * bar + 20, 18), Qt.AlignmentFlag.AlignCenter,
                             str(year))
        # Legend.
        for index, (label, colour) in enumerate((("prévues", PLANNED), ("réalisées", REALISED))):
            x = left + index * 120
            painter.fillRect(QRectF(x, 8, 12, 12), colour)
            painter.drawText(QRectF(x + 16, 4, 100, 20), Qt.AlignmentFlag.AlignVCenter, f"Heures {label}")
