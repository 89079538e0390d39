"""Tables of the clauses area (filled in by the clauses work)."""

from __future__ import annotations

from achatsdesk.storage.models.base import Base  # noqa: F401
