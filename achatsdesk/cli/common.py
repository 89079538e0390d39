"""Helpers shared by every CLI command: JSON output, French errors, the database."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from achatsdesk.storage.database import Database


class CliError(Exception):
    """A French message for stderr; exit code 1."""


def fail(message: str) -> int:
    print(f"Erreur : {message}", file=sys.stderr)
    return 1


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


# The team server named by the global ``--database`` option for this run (None: the
# environment variable, else the saved setting, else the local file; "local" forces the file).
_database_option: str | None = None


def set_database_option(address: str | None) -> None:
    global _database_option
    _database_option = address


def open_db() -> Database:
    from achatsdesk.services.bootstrap import open_database

    return open_database(server=_database_option)


def add_json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="sortie JSON (un seul document)")
