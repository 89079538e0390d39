"""Tables of the team area: which purchasing service each user belongs to, and the
history of changes to dossiers (who and when, written by a trigger, 0011_team).

On the team server a user is a PostgreSQL role: ``team_member.role_name`` is that
role's name, and the row-level-security policies (resources/team/team_init.sql)
read this table to decide which dossiers a buyer may edit. Alone on SQLite the
table is empty and every dossier is the user's own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class TeamMemberRow(Base):
    __tablename__ = "team_member"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)  # PostgreSQL's name length
    service: Mapped[str] = mapped_column(String(80), primary_key=True)


class DossierChangeRow(Base):
    """One change to a dossier: created, saved at a new revision, or a review decision recorded.

    Written by database triggers, never by the application: on the server ``changed_by``
    is the login role (``session_user``), whatever the client claims.
    """

    __tablename__ = "dossier_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # creation | modification | decision
    changed_by: Mapped[str] = mapped_column(String)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
