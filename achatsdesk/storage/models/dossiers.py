"""Tables of the dossiers area (filled in by the dossiers work)."""

from __future__ import annotations

from achatsdesk.storage.models.base import Base  # noqa: F401
