"""Commands of the export area (to come)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Adds the export commands; none yet."""
