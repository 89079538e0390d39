"""Reference data shipped with the application: CPV, NAF, communes, départements, régions.

Loaded from resources/data at first start (see storage/reference_data.py)
and read-only afterwards.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from achatsdesk.storage.models.base import Base


class Cpv(Base):
    __tablename__ = "cpv"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)  # "90911200-8"
    code8: Mapped[str] = mapped_column(String(8), unique=True)
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(String(10), index=True)
    division: Mapped[str] = mapped_column(String(2), index=True)
    label_fr: Mapped[str] = mapped_column(String)
    label_en: Mapped[str] = mapped_column(String)
    nature: Mapped[str] = mapped_column(String(12))  # travaux / fournitures / services (heuristic)


class Naf(Base):
    __tablename__ = "naf"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # "01.11Z", "01.11", "01", "A"
    level: Mapped[str] = mapped_column(String(12))  # section/division/groupe/classe/sous-classe
    label: Mapped[str] = mapped_column(String)
    parent_code: Mapped[str | None] = mapped_column(String(8))
    section: Mapped[str] = mapped_column(String(1))


class Region(Base):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String)


class Departement(Base):
    __tablename__ = "departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))


class Commune(Base):
    __tablename__ = "commune"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    kind: Mapped[str] = mapped_column(String(3))  # COM or ARM (municipal arrondissement)
    name: Mapped[str] = mapped_column(String)
    name_folded: Mapped[str] = mapped_column(String, index=True)
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    region_code: Mapped[str] = mapped_column(String(3))
    postcodes: Mapped[str] = mapped_column(String)  # "95000|95800"
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    parent_insee: Mapped[str | None] = mapped_column(String(5))


class CommunePostcode(Base):
    __tablename__ = "commune_postcode"

    postcode: Mapped[str] = mapped_column(String(5), primary_key=True)
    insee: Mapped[str] = mapped_column(ForeignKey("commune.insee"), primary_key=True)


class ReferenceDataset(Base):
    """Which version of each shipped dataset is loaded, so an upgrade can reload it."""

    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    version: Mapped[str] = mapped_column(String)
    rows: Mapped[int] = mapped_column(Integer)
