"""The indicators workbook (documents/xlsx_indicators.py), for the shells: the window
reaches the document writers through the services only (the layers contract)."""

from __future__ import annotations

from pathlib import Path

from achatsdesk.documents.xlsx_indicators import write_indicators
from achatsdesk.domain.indicators import DossierIndicators, YearIndicators


def export_indicators(lines: list[YearIndicators], target: Path,
                      dossiers: list[DossierIndicators] | None = None) -> Path:
    """Write the indicators by launch year (and, when given, the per-dossier sheet that traces each
    figure) to ``target`` (atomically: never a half-written file)."""
    return write_indicators(lines, target, dossiers=dossiers)
