"""Tables of the clauses area: clauses written or copied by the user.

Shipped clauses stay read-only JSON files in resources/clauses; only the
user's own clauses (new ones, edited copies of shipped ones, imported packs)
live in the database, each as its full JSON form so that a clause written by
a newer version keeps every field.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class UserClauseRow(Base):
    __tablename__ = "user_clause"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clause_id: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String)
    version: Mapped[str] = mapped_column(String(20))
    based_on: Mapped[str | None] = mapped_column(String(80))  # shipped clause it copies, if any
    origin: Mapped[str] = mapped_column(String(20))  # saisie | copie | import
    data_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
