"""Commands of the clauses area (to come)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Adds the clauses commands; none yet."""
