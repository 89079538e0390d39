"""The AGEC art. 58 declaration as the national CSV (comma, UTF-8, header of the
data.gouv.fr table schema "schema-declaration-biens-reemploi-reutilisation-recycle")."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from achatsdesk.documents.safe_output import write_atomically


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # the schema's numbers: a dot, no thousands separator
    return value


def write_agec(fields: Sequence[str], rows: Iterable[Mapping[str, Any]], destination: str | os.PathLike[str]) -> Path:
    rows = [{name: _cell(row.get(name, "")) for name in fields} for row in rows]

    def write(temp: Path) -> None:
        with Path(temp).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    return write_atomically(destination, write)
