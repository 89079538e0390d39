"""The batched, idempotent upsert of suppliers, keeping the text and map indexes in step.

A supplier is identified by its match key (SIRET + kind, or a stand-in for
rows without SIRET). Writing the same file twice adds nothing and changes
nothing. The caller owns the transaction: nothing here commits.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection

from achatsdesk.catalogue.records import STORED_COLUMNS, SupplierRecord, stored_values
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.domain.text import fold
from achatsdesk.storage.supplier_index import index_tokens

COLUMNS = STORED_COLUMNS
SORT_COLUMNS = ("sort_name", "sort_commune")  # derived from name and commune, never compared
_IN_CHUNK = 900
_values = stored_values


def _chunks(items: list, size: int = _IN_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_PRECISION_RANK = {"address": 2, "commune": 1, "none": 0}
_LAT, _LON, _PRECISION = COLUMNS.index("latitude"), COLUMNS.index("longitude"), COLUMNS.index("geo_precision")
_NAME, _COMMUNE = COLUMNS.index("name"), COLUMNS.index("commune")


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def _fold(text: str) -> str:
    """domain.text.fold, faster on a large import: ASCII needs only the case folded, and the words of
    names and communes repeat, so each is folded once (folding never joins characters across a space,
    so word by word gives the same text)."""
    if text.isascii():
        return text.casefold()
    return " ".join(_fold_word(word) for word in text.split(" "))


def _sort_keys(values: tuple) -> tuple[str, str]:
    """The stored sort keys of a row: accents and case do not change the order."""
    return _fold(values[_NAME] or ""), _fold(values[_COMMUNE] or "")


def _merged(new: tuple, old: tuple) -> tuple:
    """A newer row updates a supplier without erasing what it lacks: empty cells keep the old value,
    and a commune-centre position never replaces one at the address."""
    merged = [n if n is not None else o for n, o in zip(new, old, strict=True)]
    if _PRECISION_RANK.get(old[_PRECISION], 0) > _PRECISION_RANK.get(new[_PRECISION], 0):
        merged[_LAT], merged[_LON], merged[_PRECISION] = old[_LAT], old[_LON], old[_PRECISION]
    return tuple(merged)


def _apply(record: SupplierRecord, values: tuple) -> SupplierRecord:
    """The record as stored after a merge, so that the indexes describe the stored row."""
    for name, value in zip(COLUMNS, values, strict=True):
        if name not in ("match_key", "origin"):
            setattr(record, name, bool(value) if name == "siret_valid" else value)
    return record


def sectors_of(own: tuple[int, ...], naf: str | None, naf_map: NafSectorMap, known: Container[int]) -> tuple[int, ...]:
    """A record's own sectors, else its NAF code's, among the sectors the catalogue knows."""
    wanted = own or naf_map.sectors_for(naf)
    return tuple(s for s in wanted if s in known)


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class CatalogueWriter:
    def __init__(self, conn: Connection, naf_map: NafSectorMap, origin: str) -> None:
        self._conn = conn
        self._naf_map = naf_map
        self._origin = origin
        self.origin = origin
        self._sector_names = dict(conn.exec_driver_sql("SELECT id, name FROM sector").all())
        self._next_id = (conn.exec_driver_sql("SELECT max(id) FROM supplier").scalar() or 0) + 1
        self.touched_ids: set[int] = set()

    def _existing(self, keys: list[str]) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        columns = ", ".join(COLUMNS)
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.exec_driver_sql(
                f"SELECT id, {columns} FROM supplier WHERE match_key IN ({marks})", tuple(chunk)  # noqa: S608
            ).all()
            for row in rows:
                found[row[1]] = tuple(row)
        return found

    def _user_sectored(self, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self._conn.exec_driver_sql(
                    f"SELECT DISTINCT supplier_id FROM supplier_sector WHERE origin = 'user' AND supplier_id IN ({marks})",  # noqa: S608
                    tuple(chunk),
                ).all()
            )
        return found

    @property
    def naf_map(self) -> NafSectorMap:
        return self._naf_map

    @property
    def sector_names(self) -> dict[int, str]:
        return dict(self._sector_names)

    def _sectors(self, record: SupplierRecord) -> tuple[int, ...]:
        return sectors_of(record.sector_ids, record.naf, self._naf_map, self._sector_names)

    def write(self, records: Iterable[SupplierRecord]) -> WriteCounts:
        batch = {r.match_key: r for r in records}  # the last row of a key wins within a batch
        counts = WriteCounts()
        if not batch:
            return counts
        existing = self._existing(list(batch))
        inserts, updates, fresh = [], [], []  # fresh: (id, record) whose indexes are rewritten
        for key, record in batch.items():
            values = _values(record, self._origin)
            old = existing.get(key)
            if old is None:
                supplier_id = self._next_id
                self._next_id += 1
                inserts.append((supplier_id, *values, *_sort_keys(values)))
                fresh.append((supplier_id, record))
                counts.added += 1
            elif tuple(old[1:]) == (values := _merged(values, old[1:])):
                counts.unchanged += 1
                self.touched_ids.add(old[0])
            else:
                updates.append((*values[1:], *_sort_keys(values), old[0]))
                fresh.append((old[0], _apply(record, values)))
                counts.updated += 1
        columns = ", ".join((*COLUMNS, *SORT_COLUMNS))
        if inserts:
            marks = ",".join("?" * (len(COLUMNS) + len(SORT_COLUMNS) + 1))
            self._conn.exec_driver_sql(f"INSERT INTO supplier (id, {columns}) VALUES ({marks})", inserts)  # noqa: S608
        if updates:
            assignments = ", ".join(f"{c} = ?" for c in (*COLUMNS[1:], *SORT_COLUMNS))
            self._conn.exec_driver_sql(f"UPDATE supplier SET {assignments} WHERE id = ?", updates)  # noqa: S608
        self._reindex(fresh, updated_ids=[row[-1] for row in updates])
        self.touched_ids.update(i for i, _ in fresh)
        return counts

    def _reindex(self, fresh: list[tuple[int, SupplierRecord]], updated_ids: list[int]) -> None:
        keep_sectors = self._user_sectored(updated_ids) if updated_ids else set()
        if updated_ids:
            for chunk in _chunks(updated_ids):
                marks = ",".join("?" * len(chunk))
                self._conn.exec_driver_sql(f"DELETE FROM supplier_fts WHERE rowid IN ({marks})", tuple(chunk))  # noqa: S608
                self._conn.exec_driver_sql(f"DELETE FROM supplier_rtree WHERE id IN ({marks})", tuple(chunk))  # noqa: S608
                self._conn.exec_driver_sql(
                    f"DELETE FROM supplier_sector WHERE origin = 'derived' AND supplier_id IN ({marks})", tuple(chunk)  # noqa: S608
                )
        links, fts, boxes = [], [], []
        for supplier_id, record in fresh:
            if supplier_id in keep_sectors:
                names = self.sector_names_of(supplier_id)
            else:
                sector_ids = self._sectors(record)
                links.extend((supplier_id, s, "derived") for s in sector_ids)
                names = [self._sector_names[s] for s in sector_ids]
            fts.append((
                supplier_id, record.name, record.brand or "", record.commune or "", " ".join(names),
                index_tokens(record.latitude, record.longitude, record.kind),
            ))
            if record.latitude is not None and record.longitude is not None:
                boxes.append((supplier_id, record.latitude, record.latitude, record.longitude, record.longitude))
        if links:
            self._conn.exec_driver_sql(
                "INSERT INTO supplier_sector (supplier_id, sector_id, origin) VALUES (?, ?, ?)", links
            )
        if fts:
            self._conn.exec_driver_sql(
                "INSERT INTO supplier_fts (rowid, name, brand, commune, sectors, cells) VALUES (?, ?, ?, ?, ?, ?)", fts
            )
        if boxes:
            self._conn.exec_driver_sql("INSERT INTO supplier_rtree VALUES (?, ?, ?, ?, ?)", boxes)

    def sector_names_of(self, supplier_id: int) -> list[str]:
        rows = self._conn.exec_driver_sql(
            "SELECT s.name FROM supplier_sector l JOIN sector s ON s.id = l.sector_id WHERE l.supplier_id = ? ORDER BY s.name",
            (supplier_id,),
        ).all()
        return [r[0] for r in rows]


def delete_suppliers(conn: Connection, ids: Iterable[int]) -> None:
    """Remove suppliers with their index entries and sector links. The shortlists keep their lines:
    a line names its supplier by catalogue key with its own fields (the lists may be the team's)."""
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(f"DELETE FROM supplier_fts WHERE rowid IN ({marks})", tuple(chunk))  # noqa: S608
        conn.exec_driver_sql(f"DELETE FROM supplier_rtree WHERE id IN ({marks})", tuple(chunk))  # noqa: S608
        conn.exec_driver_sql(f"DELETE FROM supplier_sector WHERE supplier_id IN ({marks})", tuple(chunk))  # noqa: S608
        conn.exec_driver_sql(f"DELETE FROM supplier WHERE id IN ({marks})", tuple(chunk))  # noqa: S608


def set_user_sectors(conn: Connection, supplier_id: int, sector_ids: Iterable[int]) -> None:
    """The user's correction replaces every sector of the supplier, and the text index follows."""
    conn.exec_driver_sql("DELETE FROM supplier_sector WHERE supplier_id = ?", (supplier_id,))
    links = [(supplier_id, s, "user") for s in dict.fromkeys(sector_ids)]
    if links:
        conn.exec_driver_sql("INSERT INTO supplier_sector (supplier_id, sector_id, origin) VALUES (?, ?, ?)", links)
    names = [r[0] for r in conn.exec_driver_sql(
        "SELECT s.name FROM supplier_sector l JOIN sector s ON s.id = l.sector_id WHERE l.supplier_id = ? ORDER BY s.name",
        (supplier_id,),
    ).all()]
    row = conn.exec_driver_sql(
        "SELECT name, brand, commune, latitude, longitude, kind FROM supplier WHERE id = ?", (supplier_id,)
    ).first()
    conn.exec_driver_sql("DELETE FROM supplier_fts WHERE rowid = ?", (supplier_id,))
    conn.exec_driver_sql(
        "INSERT INTO supplier_fts (rowid, name, brand, commune, sectors, cells) VALUES (?, ?, ?, ?, ?, ?)",
        (supplier_id, row[0], row[1] or "", row[2] or "", " ".join(names), index_tokens(row[3], row[4], row[5])),
    )
