"""The local store's record of a dossier taken away from the team server (0014_offline).

Not a shared table: it lives in the workstation's SQLite file, beside the local
copy of the dossier. ``base_json`` is the dossier as it was on the server when
taken (domain ``Dossier.to_dict``), ``base_revision`` the server revision then.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class OfflineTakeRow(Base):
    __tablename__ = "offline_take"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    local_dossier_id: Mapped[int] = mapped_column(Integer, index=True)
    server_dossier_id: Mapped[int] = mapped_column(Integer)
    server_label: Mapped[str] = mapped_column(String)
    base_revision: Mapped[int] = mapped_column(Integer)
    base_json: Mapped[str] = mapped_column(Text)
    taken_by: Mapped[str] = mapped_column(String)
    taken_at: Mapped[datetime] = mapped_column(DateTime)
