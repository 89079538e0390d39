"""The SPASER workbook (documents/xlsx_spaser.py), for the shells: the window reaches the
document writers through the services only (the layers contract)."""

from __future__ import annotations

from pathlib import Path

from achatsdesk.documents.xlsx_spaser import write_spaser
from achatsdesk.domain.spaser import ContractLine, SpaserLine


def export_spaser(lines: list[SpaserLine], contracts: list[ContractLine], target: Path) -> Path:
    """The realised figures by year and service, one traceable row per contract (atomically written)."""
    return write_spaser(lines, contracts, target)
