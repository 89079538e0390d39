"""The indicators workbook (documents/xlsx_indicators.py), for the shells: the window
reaches the document writers through the services only (the layers contract)."""

from __future__ import annotations

from pathlib import Path

from achatsdesk.documents.xlsx_indicators import write_indicators
from achatsdesk.domain.indicators import YearIndicators


def export_indicators(lines: list[YearIndicators], target: Path) -> Path:
    """Write the indicators by launch year to ``target`` (atomically: never a half-written file)."""
    return write_indicators(lines, target)
