"""Commune look-ups for readers: INSEE code and centre from a postcode and a name.

Built from the reference ``commune`` table (imports) or from the shipped
communes CSV (the catalogue builder), so both paths place suppliers alike.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from achatsdesk.domain.text import fold

if TYPE_CHECKING:  # not imported at run time: the process reading a large import does without SQLAlchemy
    from sqlalchemy import Connection


@dataclass(frozen=True)
class CommunePlace:
    insee: str
    name: str
    departement: str
    latitude: float | None
    longitude: float | None


@lru_cache(maxsize=65536)
def _key(name: str) -> str:
    # "ST MAURICE DE BEYNOST", "Saint-Maurice-de-Beynost" and "SAINT MAURICE DE BEYNOST" meet here.
    words = fold(name).replace("-", " ").replace("'", " ").split()
    expanded = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    return " ".join(w for w in expanded if w not in ("cedex",) and not w.isdigit())


class CommuneIndex:
    def __init__(self, rows: Iterable[tuple[str, str, str, str, float | None, float | None]]) -> None:
        """rows: (insee, name, departement, postcodes "95000|95800", latitude, longitude)."""
        self._by_insee: dict[str, CommunePlace] = {}
        self._by_postcode: dict[str, list[CommunePlace]] = {}
        self._by_name_index: dict[str, list[CommunePlace]] | None = None  # built on first need
        for insee, name, dept, postcodes, lat, lon in rows:
            place = CommunePlace(insee, name, dept, lat, lon)
            self._by_insee[insee] = place
            for postcode in filter(None, (postcodes or "").split("|")):
                self._by_postcode.setdefault(postcode, []).append(place)

    @classmethod
    def from_connection(cls, conn: Connection) -> CommuneIndex:
        rows = conn.exec_driver_sql(
            "SELECT insee, name, departement_code, postcodes, latitude, longitude FROM commune"
        ).all()
        return cls(tuple(r) for r in rows)

    @classmethod
    def from_csv(cls, path: Path) -> CommuneIndex:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [
                (
                    r["code_insee"], r["nom"], r["code_departement"], r["codes_postaux"],
                    float(r["latitude"]) if r["latitude"] else None,
                    float(r["longitude"]) if r["longitude"] else None,
                )
                for r in csv.DictReader(handle)
            ]
        return cls(rows)

    @property
    def _by_name(self) -> dict[str, list[CommunePlace]]:
        if self._by_name_index is None:
            self._by_name_index = {}
            for place in self._by_insee.values():
                self._by_name_index.setdefault(_key(place.name), []).append(place)
        return self._by_name_index

    def by_insee(self, insee: str | None) -> CommunePlace | None:
        return self._by_insee.get(insee) if insee else None

    def locate(self, postcode: str | None, name: str | None) -> CommunePlace | None:
        """The commune for a postcode and a name; the postcode's only commune if the name differs."""
        candidates = self._by_postcode.get(postcode or "", [])
        wanted = _key(name) if name else ""
        if wanted:
            for place in candidates:
                if _key(place.name) == wanted:
                    return place
            # Arrondissements ("PARIS 15", "LYON 3EME") and cedex spellings: prefix match.
            for place in candidates:
                if _key(place.name).startswith(wanted) or wanted.startswith(_key(place.name)):
                    return place
        if len(candidates) == 1:
            return candidates[0]
        if wanted:
            named = self._by_name.get(wanted, [])
            same_dept = [p for p in named if postcode and p.insee[:2] == postcode[:2]]
            if len(same_dept) == 1:
                return same_dept[0]
        return candidates[0] if candidates else None
