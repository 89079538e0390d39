"""Commands of the dossier area (to come)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Adds the dossier commands; none yet."""
