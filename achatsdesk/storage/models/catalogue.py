"""Tables of the catalogue area (filled in by the catalogue work)."""

from __future__ import annotations

from achatsdesk.storage.models.base import Base  # noqa: F401
