"""Commands of the suppliers area (to come)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Adds the suppliers commands; none yet."""
