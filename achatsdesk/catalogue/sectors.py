"""Sectors derived from NAF codes, with the shipped mapping (resources/data/naf_to_sectors.csv).

The sources hold no supplier-to-sector link; a NAF code says what a
structure declares as its main activity, so the mapping gives a first
guess, stored with origin "derived" and correctable by the user.
"""

from __future__ import annotations

import csv
from pathlib import Path

from achatsdesk.paths import resources_dir

MAPPING_FILE = "naf_to_sectors.csv"


class NafSectorMap:
    def __init__(self, table: dict[str, tuple[int, ...]]) -> None:
        self._table = table
        self._lengths = sorted({len(k) for k in table}, reverse=True)

    @classmethod
    def load(cls, path: Path | None = None) -> NafSectorMap:
        path = path or resources_dir() / "data" / MAPPING_FILE
        table: dict[str, tuple[int, ...]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                table[row["naf_prefix"]] = tuple(int(s) for s in row["sector_ids"].split("|") if s)
        return cls(table)

    def sectors_for(self, naf: str | None) -> tuple[int, ...]:
        """The sectors of the longest mapped prefix of "8121Z" (8121Z, 8121, 812, 81)."""
        if not naf:
            return ()
        for length in self._lengths:
            found = self._table.get(naf[:length])
            if found is not None:
                return found
        return ()
