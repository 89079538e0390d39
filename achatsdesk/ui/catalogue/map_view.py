"""A picture of the results around the chosen commune, drawn offline with QPainter.

The communes of the area are grey dots (their centres), the results are
coloured points, the radius is a circle. Equirectangular projection around
the place: at these distances the shapes stay true.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.geo import DEFAULT_RADIUS_KM

KIND_COLOURS = {
    "ESAT": "#7b3fa0", "EA": "#7b3fa0", "EATT": "#7b3fa0",
    "GEIQ": "#b35c00",
}
DEFAULT_COLOUR = "#1f6fb2"  # insertion (SIAE) and the rest


class ResultsMap(QWidget):
    """Points are clickable (``point_clicked`` with the supplier id) and show their name as a tooltip."""

    point_clicked = Signal(int)
    HIT_RADIUS_PX = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Carte des résultats autour de la commune")
        self.setMinimumSize(240, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._centre: tuple[float, float] | None = None
        self._place_name = ""
        self._radius_km = float(DEFAULT_RADIUS_KM)
        self._communes: list[tuple[float, float]] = []
        self._points: list[tuple[float, float, str, int]] = []  # lat, lon, kind, supplier id
        self._selected: int | None = None
        self._labels: dict[int, str] = {}  # supplier id -> "Nom · type · commune"
        self.setMouseTracking(True)

    def set_scene(self, centre: tuple[float, float] | None, place_name: str, radius_km: float,
                  communes: list[tuple[float, float]], points: list[tuple[float, float, str, int]],
                  labels: dict[int, str] | None = None) -> None:
        self._labels = dict(labels or {})
        self._centre, self._place_name, self._radius_km = centre, place_name, radius_km
        self._communes, self._points = communes, points
        self.setAccessibleDescription(
            f"{len(points)} structures autour de {place_name} dans un rayon de {format_number(radius_km)} km" if centre else ""
        )
        self.update()

    def set_selected(self, supplier_id: int | None) -> None:
        self._selected = supplier_id
        self.update()

    def point_count(self) -> int:
        return len(self._points)

    def point_position(self, supplier_id: int) -> QPointF | None:
        if self._centre is None:
            return None
        project = self._projector()[0]
        return next((project(lat, lon) for lat, lon, _k, sid in self._points if sid == supplier_id), None)

    def point_at(self, position: QPointF) -> int | None:
        """The supplier whose point is under ``position`` (the nearest within a few pixels)."""
        if self._centre is None:
            return None
        project = self._projector()[0]
        best, best_distance = None, float(self.HIT_RADIUS_PX)
        for lat, lon, _kind, supplier_id in self._points:
            point = project(lat, lon)
            distance = math.hypot(point.x() - position.x(), point.y() - position.y())
            if distance <= best_distance:
                best, best_distance = supplier_id, distance
        return best

    def tooltip_at(self, position: QPointF) -> str:
        supplier_id = self.point_at(position)
        return self._labels.get(supplier_id, "") if supplier_id is not None else ""

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        supplier_id = self.point_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and supplier_id is not None:
            self.point_clicked.emit(supplier_id)
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        supplier_id = self.point_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if supplier_id is not None else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _projector(self):
        lat0, lon0 = self._centre  # type: ignore[misc]
        side = min(self.width(), self.height()) - 40
        scale = side / (2 * self._radius_km * 1.15)  # pixels per km
        cx, cy = self.width() / 2, self.height() / 2
        kx = 111.195 * math.cos(math.radians(lat0))

        def project(lat: float, lon: float) -> QPointF:
            return QPointF(cx + (lon - lon0) * kx * scale, cy - (lat - lat0) * 111.195 * scale)

        return project, scale, QPointF(cx, cy)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#fbfbf8"))
        if self._centre is None:
            painter.setPen(QColor("#555"))
            painter.drawText(self.rect().adjusted(20, 20, -20, -20), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "Choisissez une commune et un rayon pour voir les structures autour.")
            return
        project, scale, centre = self._projector()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d6d6cf"))
        for lat, lon in self._communes:
            painter.drawEllipse(project(lat, lon), 1.6, 1.6)
        radius_px = self._radius_km * scale
        painter.setBrush(QColor(31, 111, 178, 18))
        painter.setPen(QPen(QColor("#1f6fb2"), 1.5, Qt.PenStyle.DashLine))
        painter.drawEllipse(centre, radius_px, radius_px)
        painter.setPen(QPen(QColor("white"), 1))
        for lat, lon, kind, supplier_id in self._points:
            if supplier_id == self._selected:
                continue
            painter.setBrush(QColor(KIND_COLOURS.get(kind, DEFAULT_COLOUR)))
            painter.drawEllipse(project(lat, lon), 4, 4)
        for lat, lon, _kind, supplier_id in self._points:
            if supplier_id == self._selected:
                painter.setBrush(QColor("#d12f2f"))
                painter.setPen(QPen(QColor("black"), 1.5))
                painter.drawEllipse(project(lat, lon), 7, 7)
        painter.setPen(QPen(QColor("#222"), 2))
        painter.drawLine(centre + QPointF(-6, 0), centre + QPointF(6, 0))
        painter.drawLine(centre + QPointF(0, -6), centre + QPointF(0, 6))
        painter.setPen(QColor("#222"))
        painter.drawText(QRectF(8, 6, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft,
                         f"{self._place_name} · rayon {format_number(self._radius_km)} km · {len(self._points)} structures affichées")
        x = 10.0
        y = self.height() - 14.0
        for label, colour in (("Insertion", DEFAULT_COLOUR), ("Handicap (EA, ESAT)", KIND_COLOURS["ESAT"]),
                              ("GEIQ", KIND_COLOURS["GEIQ"]), ("centre d'une commune", "#d6d6cf")):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawEllipse(QPointF(x + 4, y), 4, 4)
            painter.setPen(QColor("#222"))
            width = painter.fontMetrics().horizontalAdvance(label)
            painter.drawText(QPointF(x + 12, y + 4), label)
            x += width + 30
