"""Tables of the catalogue area: suppliers, the Marché de l'inclusion sector taxonomy,
supplier-to-sector links and named shortlists.

Two virtual tables live beside them, outside the ORM (created by the
migration, kept in step by achatsdesk.catalogue.upsert):
``supplier_fts`` (FTS5 over name, brand, commune and sector names, rowid =
supplier.id) and ``supplier_rtree`` (R*Tree of coordinates, id = supplier.id).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class SectorGroup(Base):
    __tablename__ = "sector_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the Marché de l'inclusion's id
    name: Mapped[str] = mapped_column(String)
    slug: Mapped[str] = mapped_column(String, unique=True)


class Sector(Base):
    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the Marché de l'inclusion's id
    name: Mapped[str] = mapped_column(String)
    slug: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("sector_group.id"), index=True)


class Supplier(Base):
    """One inclusive or ESS structure (an establishment: SIRET + kind)."""

    __tablename__ = "supplier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "siret|kind", or "nosiret|<folded name>|<postcode>|kind" for rows without SIRET:
    # the idempotent upsert key.
    match_key: Mapped[str] = mapped_column(String, unique=True)
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    siret_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String)
    brand: Mapped[str | None] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(8), index=True)  # ACI, EI, ..., ESAT, ESS
    legal_form: Mapped[str | None] = mapped_column(String)
    naf: Mapped[str | None] = mapped_column(String(6))  # "8899B"
    address: Mapped[str | None] = mapped_column(String)
    postcode: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String)
    insee: Mapped[str | None] = mapped_column(String(5))
    departement: Mapped[str | None] = mapped_column(String(3), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[str] = mapped_column(String(8), default="none")  # address / commune / none
    capacity: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)
    source_date: Mapped[str] = mapped_column(String(10))  # "2019-07", "2020-12", "2026-06"
    origin: Mapped[str] = mapped_column(String(8), default="embedded")  # embedded / import
    # Sort keys, folded (domain.text.fold) by the writer: ordering by them uses their index.
    sort_name: Mapped[str] = mapped_column(String, default="", server_default="", index=True)
    sort_commune: Mapped[str] = mapped_column(String, default="", server_default="", index=True)

    # The first page in source-date order is read from this index, never by sorting every match.
    __table_args__ = (Index("ix_supplier_source_date", "source_date", "source"),)


class SupplierSector(Base):
    __tablename__ = "supplier_sector"

    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), primary_key=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), primary_key=True, index=True)
    origin: Mapped[str] = mapped_column(String(8))  # derived (from NAF) / user / source


class Shortlist(Base):
    """A named list of suppliers; a dossier may later point at it."""

    __tablename__ = "shortlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[str] = mapped_column(String(19))  # ISO timestamp, local time


class ShortlistEntry(Base):
    """One supplier of a list, named by its catalogue key (the same on every workstation that loaded the
    same data) with what a colleague needs to read it when their catalogue lacks it (0016_shared_shortlists)."""

    __tablename__ = "shortlist_entry"

    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlist.id", ondelete="CASCADE"), primary_key=True)
    match_key: Mapped[str] = mapped_column(String, primary_key=True)  # Supplier.match_key
    siret: Mapped[str | None] = mapped_column(String(14))
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(8))
    commune: Mapped[str | None] = mapped_column(String)
    postcode: Mapped[str | None] = mapped_column(String(5))
    source: Mapped[str | None] = mapped_column(String)
    source_date: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String, default="")
    added_at: Mapped[str] = mapped_column(String(19))
