"""A large import applied in a few set-based statements instead of row by row.

Rows are first staged in a temporary table (executemany, inside the caller's
transaction). At the end, suppliers the catalogue already holds go through
the row-by-row writer (upsert.py: same merge rules, same report counts); the
new ones are inserted in one INSERT … SELECT, with the secondary indexes
dropped and rebuilt by sorting when the new rows outnumber the old, then
the sector links, the text index (storage/supplier_index.py) and the
R*Tree are filled in bulk and the text index merged into one segment. When
the new rows outnumber the old, the R*Tree is packed whole, bottom up
(storage/supplier_map_index.py), instead of inserting point by point.

Everything happens inside the caller's transaction: a cancelled, failed or
killed import still leaves the catalogue as it was (the temporary tables go
with the connection).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from achatsdesk.catalogue.records import SupplierRecord, values_and_sectors
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.catalogue.upsert import (
    COLUMNS,
    SORT_COLUMNS,
    CatalogueWriter,
    WriteCounts,
    _sort_keys,
    sectors_of,
)
from achatsdesk.storage.supplier_index import fill_text_index_with, index_tokens
from achatsdesk.storage.supplier_map_index import pack_map_index

# Above this many rows an import stages its rows and applies them in bulk.
BULK_THRESHOLD = 20_000
_WRITE_BATCH = 2000
_NAF, _LAT, _LON, _KIND = (COLUMNS.index(c) for c in ("naf", "latitude", "longitude", "kind"))
_STAGED = ("seq", *COLUMNS, *SORT_COLUMNS, "sectors", "sector_names", "cells")
Step = Callable[[str], None]


class RowStager:
    """SupplierRecords as rows of the staging table, numbered in the order of the file, with what the
    text index will hold for them (sector names, map-grid and kind tokens) made here rather than by SQL at the
    end. In two steps: a record's stored values and own sectors (records.values_and_sectors: plain
    data, made by the process that reads a large file, reader_process.py), then the staged row."""

    def __init__(self, origin: str, naf_map: NafSectorMap, sector_names: dict[int, str]) -> None:
        self.origin = origin
        self._naf_map = naf_map
        self._sector_names = sector_names
        self._seq = 0
        self._sectors_by_naf: dict[str | None, tuple[str, str]] = {}

    def rows(self, records: list[SupplierRecord]) -> list[tuple]:
        return self.rows_of(values_and_sectors(records, self.origin))

    def _sectors(self, own: tuple[int, ...], naf: str | None) -> tuple[str, str]:
        """The sector ids as a JSON array's inside ("3,17": cheaper than json.dumps, read by json_each),
        and their names in the order the text index lists them (storage/supplier_index.py)."""
        ids = sectors_of(own, naf, self._naf_map, self._sector_names)
        return ",".join(map(str, ids)), " ".join(sorted(self._sector_names[i] for i in ids))

    def rows_of(self, items: list[tuple]) -> list[tuple]:
        rows = []
        by_naf = self._sectors_by_naf
        for item in items:
            self._seq += 1
            values, own = item[:-1], item[-1]
            naf = values[_NAF]
            # Most records take their sectors from their NAF code: one pair of strings per code.
            if own:
                sectors = self._sectors(own, naf)
            elif (sectors := by_naf.get(naf)) is None:
                sectors = by_naf[naf] = self._sectors(own, naf)
            rows.append((self._seq, *values, *_sort_keys(values), *sectors, index_tokens(values[_LAT], values[_LON], values[_KIND])))
        return rows


class BulkLoad:
    def __init__(self, conn: Connection, writer: CatalogueWriter, origin: str) -> None:
        self._conn = conn
        self._writer = writer
        self._origin = origin
        columns = ", ".join(f"{c} INTEGER PRIMARY KEY" if c == "seq" else c for c in _STAGED)
        conn.exec_driver_sql("DROP TABLE IF EXISTS temp.import_staging")
        conn.exec_driver_sql(f"CREATE TEMP TABLE import_staging ({columns})")
        self._insert = f"INSERT INTO temp.import_staging VALUES ({', '.join('?' * len(_STAGED))})"
        self._raw = conn.connection.dbapi_connection
        self.stager = RowStager(origin, writer.naf_map, writer.sector_names)

    def add(self, records: list[SupplierRecord]) -> None:
        self.add_rows(self.stager.rows(records))

    def add_values(self, items: list[tuple]) -> None:
        """records.values_and_sectors of records (made by the process reading the file), in file order."""
        self.add_rows(self.stager.rows_of(items))

    def add_rows(self, rows: list[tuple]) -> None:
        if rows:
            # The bare DB-API cursor, in the same transaction: SQLAlchemy's handling of 2 000 parameter
            # sets of 25 values cost as much as SQLite's writing them.
            self._raw.executemany(self._insert, rows)

    def finish(self, step: Step | None = None) -> WriteCounts:
        step = step or (lambda _message: None)
        conn = self._conn
        counts = WriteCounts()
        # The last row of a key wins, as within one batch of the row-by-row writer.
        conn.exec_driver_sql("CREATE INDEX temp.import_staging_key ON import_staging (match_key, seq)")
        conn.exec_driver_sql(
            "CREATE TEMP TABLE import_latest AS SELECT max(seq) AS seq FROM temp.import_staging GROUP BY match_key"
        )
        self._update_existing(counts)
        step("Nouvelles structures")
        next_id = (conn.exec_driver_sql("SELECT max(id) FROM supplier").scalar() or 0) + 1
        # Keyed by the new id: the statements below read the new suppliers in id order straight from the
        # table (ORDER BY f.id), where a plain table made SQLite sort a million rows twice (1-2 s at 1M).
        conn.exec_driver_sql("CREATE TEMP TABLE import_fresh (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)")
        conn.exec_driver_sql(
            "INSERT INTO temp.import_fresh (id, seq) SELECT ? + row_number() OVER (ORDER BY l.seq) - 1, l.seq "
            "FROM temp.import_latest l JOIN temp.import_staging t ON t.seq = l.seq "
            "WHERE NOT EXISTS (SELECT 1 FROM supplier s WHERE s.match_key = t.match_key)", (int(next_id),)
        )
        fresh = conn.exec_driver_sql("SELECT count(*) FROM temp.import_fresh").scalar_one()
        counts.added = fresh
        if fresh:
            rebuilt = self._insert_fresh(fresh)
            step("Index du texte")
            raw = conn.connection.dbapi_connection
            # What fill_text_index would read back from the new suppliers, as staged.
            fill_text_index_with(
                raw, "SELECT f.id, t.name, coalesce(t.brand, ''), coalesce(t.commune, ''), t.sector_names, t.cells "
                "FROM temp.import_fresh f JOIN temp.import_staging t ON t.seq = f.seq ORDER BY f.id")
            # The new suppliers' ids follow every existing one: a range of the table, read in order.
            points = (f"SELECT id, latitude AS lat, longitude AS lon FROM supplier WHERE id >= {int(next_id)} "  # noqa: S608
                      "AND latitude IS NOT NULL AND longitude IS NOT NULL")
            if rebuilt:  # most of the map is new: pack the whole tree instead of inserting point by point
                pack_map_index(raw, points)
            else:
                conn.exec_driver_sql(f"INSERT INTO supplier_rtree SELECT id, lat, lat, lon, lon FROM ({points})")  # noqa: S608
            step("Index construits")
        for table in ("import_fresh", "import_latest", "import_staging"):
            conn.exec_driver_sql(f"DROP TABLE temp.{table}")
        return counts

    def _update_existing(self, counts: WriteCounts) -> None:
        """Rows of suppliers already in the catalogue: the row-by-row writer's merge, in batches."""
        names = ", ".join(f"t.{c}" for c in _STAGED)
        rows = self._conn.exec_driver_sql(
            f"SELECT {names} FROM temp.import_latest l JOIN temp.import_staging t ON t.seq = l.seq "  # noqa: S608
            "WHERE EXISTS (SELECT 1 FROM supplier s WHERE s.match_key = t.match_key) ORDER BY t.seq"
        ).all()
        for start in range(0, len(rows), _WRITE_BATCH):
            done = self._writer.write([_record(row) for row in rows[start : start + _WRITE_BATCH]])
            counts.updated += done.updated
            counts.unchanged += done.unchanged

    def _insert_fresh(self, fresh: int) -> bool:
        """True when the new rows outnumber the old and the indexes were rebuilt."""
        conn = self._conn
        existing = conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one()
        # Building an index by sorting beats inserting into it row by row once the new rows outnumber the old.
        rebuilding = fresh >= existing
        rebuilt = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'supplier' AND sql IS NOT NULL"
        ).all() if rebuilding else []
        for name, _sql in rebuilt:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        columns = ", ".join((*COLUMNS, *SORT_COLUMNS))
        picked = ", ".join(f"t.{c}" for c in (*COLUMNS, *SORT_COLUMNS))
        conn.exec_driver_sql(
            f"INSERT INTO supplier (id, {columns}) SELECT f.id, {picked} "  # noqa: S608
            "FROM temp.import_fresh f JOIN temp.import_staging t ON t.seq = f.seq ORDER BY f.id"
        )
        for _name, sql in rebuilt:
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql(
            "INSERT INTO supplier_sector (supplier_id, sector_id, origin) "
            "SELECT f.id, j.value, 'derived' FROM temp.import_fresh f JOIN temp.import_staging t ON t.seq = f.seq, "
            "json_each('[' || t.sectors || ']') j"
        )
        return rebuilding


def _record(row: tuple) -> SupplierRecord:
    """A staged row back as the record the writer expects (the match key is recomputed from it)."""
    values = dict(zip(_STAGED, row, strict=True))
    record = SupplierRecord(
        name=values["name"], kind=values["kind"], source=values["source"], source_date=values["source_date"],
        siret=values["siret"], siret_valid=bool(values["siret_valid"]), brand=values["brand"],
        legal_form=values["legal_form"], naf=values["naf"], address=values["address"], postcode=values["postcode"],
        commune=values["commune"], insee=values["insee"], departement=values["departement"],
        latitude=values["latitude"], longitude=values["longitude"], geo_precision=values["geo_precision"],
        capacity=values["capacity"], website=values["website"],
        sector_ids=tuple(int(i) for i in values["sectors"].split(",") if i),
    )
    key = values["match_key"]
    if record.match_key != key:  # a stand-in key (alt_key) the record cannot rebuild from its columns
        record.alt_key = key.rsplit("|", 1)[0]
    return record
