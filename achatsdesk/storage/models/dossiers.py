"""Tables of the dossiers area: dossiers, their CPV codes and lots, checklist answers,
clause selections and the review history. Money in integer cents.

Child rows are deleted with their dossier (ON DELETE CASCADE). A dossier is
saved as a whole in one transaction, so a killed process leaves either the
previous save or the new one, never a mix.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class DossierRow(Base):
    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # stable across export/import
    title: Mapped[str] = mapped_column(String)
    reference: Mapped[str] = mapped_column(String, default="")
    buyer_name: Mapped[str] = mapped_column(String, default="")
    buyer_kind: Mapped[str] = mapped_column(String(24))
    buyer_annual_purchases_cents: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    nature: Mapped[str] = mapped_column(String(12))
    estimated_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    place_insee: Mapped[str | None] = mapped_column(String(5), nullable=True)
    launch_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    # Refers to shortlist.id (catalogue area). No foreign key on purpose: the two
    # areas evolve separately and a deleted shortlist must not block a dossier.
    shortlist_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The shortlist as received in an exchange file (JSON), kept when no local one matches.
    shortlist_snapshot: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The buyer's insertion-sizing factors as JSON (domain InsertionFactors.to_dict);
    # NULL: the defaults in force (labour-share table, 5 %, default hourly cost).
    insertion_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The kind of contract (marche, accord_cadre, defense_securite, concession; 0007_contract_kind),
    # a framework agreement's maximum, and two comma-separated id lists: what the amount includes
    # (options, reconductions, primes) and the AGEC categories of supplies a works or services
    # contract includes.
    contract_kind: Mapped[str] = mapped_column(String(16), default="marche", server_default="marche")
    framework_max_cents: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    amount_includes: Mapped[str] = mapped_column(String, default="", server_default="")
    agec_included_supplies: Mapped[str] = mapped_column(String, default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)  # +1 at each save
    # Team mode (0011_team). The purchasing service the dossier belongs to ("" alone: the user's own);
    # who saved it last (on the server a trigger sets current_user); the soft lock of the colleague
    # editing it; the colleague who took it away offline.
    service: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    updated_by: Mapped[str] = mapped_column(String, default="", server_default="")
    locked_by: Mapped[str | None] = mapped_column(String, nullable=True)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    taken_by: Mapped[str | None] = mapped_column(String, nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Set when the dossier is put in the Corbeille (hidden from the list, restorable for 30 days).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)


class DossierCpvRow(Base):
    __tablename__ = "dossier_cpv"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 = main code
    code: Mapped[str] = mapped_column(String(10))


class DossierLotRow(Base):
    __tablename__ = "dossier_lot"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String)
    cpv: Mapped[str | None] = mapped_column(String(10), nullable=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # The buyer's choice for the small-lots exemption (R2123-1 2°, R2122-8); NULL: not chosen.
    small_lot: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class DossierItemRow(Base):
    """The buyer's answer to one checklist item, and the reviewer's comment on it."""

    __tablename__ = "dossier_item"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    justification: Mapped[str] = mapped_column(Text, default="")
    exemption_case: Mapped[str | None] = mapped_column(String(64), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")


class DossierClauseRow(Base):
    """A library clause chosen for the dossier (clause engineer's ids and versions)."""

    __tablename__ = "dossier_clause"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    clause_id: Mapped[str] = mapped_column(String(128))
    version: Mapped[str] = mapped_column(String(32), default="")
    variables_json: Mapped[str] = mapped_column(Text, default="{}")
    lot: Mapped[int | None] = mapped_column(Integer, nullable=True)  # index in the lots, None = whole contract


class DossierReviewRow(Base):
    """One decision of a review; the history is kept, oldest first by id."""

    __tablename__ = "dossier_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(12))
    reviewer: Mapped[str] = mapped_column(String)
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime)
