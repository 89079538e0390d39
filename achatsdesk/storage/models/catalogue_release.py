"""The organisation's curated catalogue, published on the team server (0015_catalogue_release).

Each workstation searches its own local copy of the catalogue (FTS5, R*Tree);
what the organisation adds to it (imported files, corrected sectors) travels as
a versioned release: one row per publication, its content a compressed JSON
lines payload (services/catalogue_publication.py). Workstations load the newest
release they have not loaded yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class CatalogueReleaseRow(Base):
    __tablename__ = "catalogue_release"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    published_by: Mapped[str] = mapped_column(String)
    suppliers: Mapped[int] = mapped_column(Integer)  # structures carried
    corrections: Mapped[int] = mapped_column(Integer)  # sector corrections of other structures
    payload: Mapped[bytes] = mapped_column(LargeBinary)
