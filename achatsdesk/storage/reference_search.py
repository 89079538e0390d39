"""Queries over the reference data: CPV and commune look-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from achatsdesk.domain.geo import BoundingBox
from achatsdesk.domain.text import fold, fts_prefix_query, words
from achatsdesk.storage.models.reference import Commune


@dataclass(frozen=True)
class CpvEntry:
    code: str
    label: str
    level: int
    parent_code: str | None
    nature: str


@dataclass(frozen=True)
class CommuneEntry:
    insee: str
    name: str
    departement: str
    postcodes: tuple[str, ...]
    latitude: float | None
    longitude: float | None

    @property
    def display(self) -> str:
        first = self.postcodes[0] if self.postcodes else self.departement
        return f"{self.name} ({first})"


_CPV_COLUMNS = "c.code, c.label_fr, c.level, c.parent_code, c.nature"
_DIGITS = re.compile(r"^[0-9\-\s]+$")


def _cpv(row) -> CpvEntry:
    return CpvEntry(row[0], row[1], row[2], row[3], row[4])


def search_cpv(conn: Connection, query: str, limit: int = 20) -> list[CpvEntry]:
    """CPV codes by label words (any order, accents optional, prefixes) or by code digits.

    Every word must match; when none does, codes matching any word follow.
    Among matches, bm25 ranks shorter, closer labels first and general codes
    (lower level) break ties.
    """
    query = query.strip()
    if not query:
        return []
    digits = query.replace("-", "").replace(" ", "")
    if _DIGITS.match(query) and digits:
        rows = conn.execute(
            text(f"SELECT {_CPV_COLUMNS} FROM cpv c WHERE c.code8 LIKE :p ORDER BY c.level, c.code LIMIT :n"),
            {"p": digits[:8] + "%", "n": limit},
        ).all()
        return [_cpv(r) for r in rows]
    results: list[CpvEntry] = []
    seen: set[str] = set()
    for any_word in (False, True):
        match = fts_prefix_query(query, any_word=any_word)
        if match is None or len(results) >= limit:
            break
        rows = conn.execute(
            text(
                f"SELECT {_CPV_COLUMNS} FROM cpv_fts f JOIN cpv c ON c.code = f.code "
                "WHERE cpv_fts MATCH :m ORDER BY bm25(cpv_fts, 0, 1.0, 0.2), c.level LIMIT :n"
            ),
            {"m": f"{{label_fr label_en}} : ({match})", "n": limit},
        ).all()
        for row in rows:
            if row[0] not in seen:
                seen.add(row[0])
                results.append(_cpv(row))
        if len(words(query)) <= 1:
            break
    return results[:limit]


def get_cpv(conn: Connection, code: str) -> CpvEntry | None:
    row = conn.execute(
        text(f"SELECT {_CPV_COLUMNS} FROM cpv c WHERE c.code = :c OR c.code8 = :c"), {"c": code.strip()}
    ).first()
    return _cpv(row) if row else None


def cpv_children(conn: Connection, parent_code: str | None) -> list[CpvEntry]:
    """Direct children of a CPV code, or the divisions when parent_code is None."""
    if parent_code is None:
        sql = f"SELECT {_CPV_COLUMNS} FROM cpv c WHERE c.parent_code IS NULL ORDER BY c.code"
        rows = conn.execute(text(sql)).all()
    else:
        sql = f"SELECT {_CPV_COLUMNS} FROM cpv c WHERE c.parent_code = :p ORDER BY c.code"
        rows = conn.execute(text(sql), {"p": parent_code}).all()
    return [_cpv(r) for r in rows]


_COMMUNE_COLUMNS = "insee, name, departement_code, postcodes, latitude, longitude"


def _commune(row) -> CommuneEntry:
    return CommuneEntry(row[0], row[1], row[2], tuple(filter(None, row[3].split("|"))), row[4], row[5])


def search_communes(conn: Connection, query: str, limit: int = 20) -> list[CommuneEntry]:
    """Communes by name (accents and case optional, prefix) or by postcode / INSEE code.

    Exact names come first, then names starting with the text, then names
    containing it; shorter names first within each group.
    """
    query = query.strip()
    if not query:
        return []
    if query.isdigit() or re.fullmatch(r"2[AaBb]\d{3}", query):
        rows = conn.execute(
            text(
                f"SELECT {_COMMUNE_COLUMNS} FROM commune WHERE insee = :q "
                f"UNION SELECT {_COMMUNE_COLUMNS} FROM commune WHERE insee IN "
                "(SELECT insee FROM commune_postcode WHERE postcode LIKE :p) "
                "ORDER BY name LIMIT :n"
            ),
            {"q": query.upper(), "p": query + "%", "n": limit},
        ).all()
        return [_commune(r) for r in rows]
    folded = " ".join(fold(query).replace("-", " ").replace("'", " ").split())
    pattern = folded.replace(" ", "%")
    rows = conn.execute(
        text(
            f"SELECT {_COMMUNE_COLUMNS} FROM commune "
            "WHERE replace(replace(name_folded, '-', ' '), '''', ' ') LIKE :contains "
            "ORDER BY CASE WHEN replace(replace(name_folded, '-', ' '), '''', ' ') = :exact THEN 0 "
            "WHEN replace(replace(name_folded, '-', ' '), '''', ' ') LIKE :prefix THEN 1 ELSE 2 END, "
            "kind, length(name), name LIMIT :n"
        ),
        {"contains": f"%{pattern}%", "exact": folded, "prefix": f"{pattern}%", "n": limit},
    ).all()
    return [_commune(r) for r in rows]


def get_commune(conn: Connection, insee: str) -> CommuneEntry | None:
    row = conn.execute(
        text(f"SELECT {_COMMUNE_COLUMNS} FROM commune WHERE insee = :q"), {"q": insee.strip().upper()}
    ).first()
    return _commune(row) if row else None


def resolve_commune(conn: Connection, text_or_code: str) -> CommuneEntry | None:
    """An INSEE code, or the best match for a commune name."""
    direct = get_commune(conn, text_or_code)
    if direct:
        return direct
    found = search_communes(conn, text_or_code, limit=1)
    return found[0] if found else None


def reference_counts(conn: Connection) -> dict[str, int]:
    counts = {}
    for key, sql in {
        "cpv": "SELECT count(*) FROM cpv",
        "naf_sous_classes": "SELECT count(*) FROM naf WHERE level = 'sous-classe'",
        "naf": "SELECT count(*) FROM naf",
        "communes": "SELECT count(*) FROM commune",
        "departements": "SELECT count(*) FROM departement",
        "regions": "SELECT count(*) FROM region",
    }.items():
        counts[key] = conn.execute(text(sql)).scalar_one()
    return counts


def commune_position(conn: Connection, insee: str) -> tuple[float, float] | None:
    """The commune's centre, or None when the commune or its position is unknown."""
    row = conn.execute(select(Commune.latitude, Commune.longitude).where(Commune.insee == insee)).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def commune_centres_in(conn: Connection, box: BoundingBox) -> list[tuple[float, float]]:
    """Centres of the communes (not their arrondissements) inside a box: the background of a map."""
    query = select(Commune.latitude, Commune.longitude).where(
        Commune.kind == "COM", Commune.latitude.between(box.min_lat, box.max_lat),
        Commune.longitude.between(box.min_lon, box.max_lon))
    return [(row[0], row[1]) for row in conn.execute(query)]
