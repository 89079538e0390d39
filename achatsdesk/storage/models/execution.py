"""Tables of the execution area: awards per lot, realised figures per clause and
period, the AGEC spend per category, and the awarded public contracts read from
a DECP file. Money in integer cents; figures in hundredths (two decimals).

Rows of a dossier are deleted with it (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class AwardRow(Base):
    __tablename__ = "dossier_award"
    __table_args__ = (UniqueConstraint("dossier_id", "lot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    lot: Mapped[int] = mapped_column(Integer)  # 1-based; 1 for a dossier without lots
    holder_siret: Mapped[str] = mapped_column(String(14), index=True)
    holder_name: Mapped[str] = mapped_column(String, default="")
    holder_kind: Mapped[str | None] = mapped_column(String(8), nullable=True)  # from the catalogue
    notified_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    duration_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offers_received: Mapped[int | None] = mapped_column(Integer, nullable=True)
    procedure: Mapped[str] = mapped_column(String(16))
    # The dossier's status before its first award, restored when the last award is undone.
    status_before: Mapped[str] = mapped_column(String(12))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class RealisedRow(Base):
    """One realised figure of a measurable clause for one period (a quarter)."""

    __tablename__ = "execution_figure"
    __table_args__ = (UniqueConstraint("dossier_id", "clause_id", "lot", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    clause_id: Mapped[str] = mapped_column(String(128))
    lot: Mapped[int] = mapped_column(Integer)  # 0: the whole contract
    period: Mapped[str] = mapped_column(String(7))  # 2027-T1
    value_hundredths: Mapped[int] = mapped_column(BigInteger)
    beneficiaries_json: Mapped[str] = mapped_column(Text, default="{}")
    reported_by: Mapped[str] = mapped_column(String, default="")
    reported_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String, default="saisie")


class AgecSpendRow(Base):
    """A year's spend on one AGEC art. 58 category under an awarded lot, entered at execution."""

    __tablename__ = "agec_spend"
    __table_args__ = (UniqueConstraint("dossier_id", "lot", "year", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    lot: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[int] = mapped_column(Integer)  # "ordre" 1..17 of the official list
    total_cents: Mapped[int] = mapped_column(BigInteger)
    reuse_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    donation_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    recycled_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class PublicContractRow(Base):
    """An awarded contract read from a DECP file (one row per contract and holder).

    The same uid and holder can appear on several rows of a consolidated file (lots
    sharing an id, modifications): ``row_key`` (a hash of the row and its occurrence)
    tells a row already imported from one that only looks alike.
    """

    __tablename__ = "public_contract"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_key: Mapped[str] = mapped_column(String(48), unique=True)
    uid: Mapped[str] = mapped_column(String(80))
    buyer_siret: Mapped[str] = mapped_column(String(14), default="", index=True)
    buyer_name: Mapped[str] = mapped_column(String, default="")
    holder_siret: Mapped[str] = mapped_column(String(14), default="", index=True)
    nature: Mapped[str] = mapped_column(String(16), default="")
    cpv: Mapped[str] = mapped_column(String(10), default="")
    object: Mapped[str] = mapped_column(String, default="")
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    notified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    procedure: Mapped[str] = mapped_column(String, default="")
    duration_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offers_received: Mapped[int | None] = mapped_column(Integer, nullable=True)
    social: Mapped[str] = mapped_column(String, default="")  # considerations, "; "-joined
    environmental: Mapped[str] = mapped_column(String, default="")
    source: Mapped[str] = mapped_column(String, default="")
