"""French plurals without "(s)": "1 clause", "2 clauses", "0 clause" (French keeps 0 and 1 singular)."""

from __future__ import annotations

from achatsdesk.domain.formatting import format_number


def word_for(count: int, singular: str, plural: str | None = None) -> str:
    """The word agreeing with ``count``: singular for 0 and 1, else plural (default: singular + "s")."""
    return singular if abs(count) < 2 else (plural or singular + "s")


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """ "1 structure", "2 lots", "1 234 clauses"."""
    return f"{format_number(count)} {word_for(count, singular, plural)}"
