"""Import a supplier file into the catalogue: read, validate, upsert in batches, report.

Runs inside the caller's transaction: the caller commits only when this
returns, so a cancelled, failed or killed import leaves the catalogue as it was.
A large file (over BULK_THRESHOLD rows, guessed from its size or counted while
reading) is staged and applied in bulk (bulk_upsert.py) instead of row by row;
when its size announces it, it is read in another process while this one
stages the rows (reader_process.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from achatsdesk.catalogue.bulk_upsert import BULK_THRESHOLD, BulkLoad
from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.formats import FORMATS, Provenance
from achatsdesk.catalogue.reader import GENERIC, preview, read_records
from achatsdesk.catalogue.reader_process import ReaderUnavailable, read_in_child
from achatsdesk.catalogue.records import RowRejected, SupplierRecord
from achatsdesk.catalogue.report import ImportReport
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.catalogue.upsert import CatalogueWriter
from achatsdesk.collection_pause import collection_paused
from achatsdesk.errors import Cancelled

log = logging.getLogger("achatsdesk")

BATCH_SIZE = 2000
# A large import reads its file in another process (False: in this one, as a small import does).
READ_IN_CHILD = True
Progress = Callable[[int, int, str], None]


def default_provenance(path: Path, format_label: str) -> Provenance:
    """An imported file's source is its name and format; its date, the file's own date."""
    day = date.fromtimestamp(path.stat().st_mtime).isoformat()
    return Provenance(f"Import « {path.name} » ({format_label})", day)


def import_file(
    conn: Connection,
    path: Path,
    format_code: str = "auto",
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    mapping: dict[str, str] | None = None,
    default_kind: str | None = None,
    provenance: Provenance | None = None,
    origin: str = "import",
    naf_map: NafSectorMap | None = None,
    communes: CommuneIndex | None = None,
    source_date: str | None = None,
) -> ImportReport:
    """``source_date``: the date of the data (ISO) as confirmed by the buyer, over the provenance's."""
    started = time.perf_counter()
    path = Path(path)
    info = preview(path, format_code, max_rows=0)
    label = FORMATS[info.format_code].label if info.format_code != GENERIC else info.format_label
    report = ImportReport(str(path), info.format_code, label, info.encoding_label)
    provenance = provenance or default_provenance(path, label)
    if source_date:
        provenance = Provenance(provenance.source, source_date)
    communes = communes or CommuneIndex.from_connection(conn)
    writer = CatalogueWriter(conn, naf_map or NafSectorMap.load(), origin)
    # A larger page cache for this connection: index inserts of a big file stay in memory.
    conn.exec_driver_sql("PRAGMA cache_size = -65536")
    try:
        return _run(conn, path, info.format_code, report, provenance, communes, writer, progress, cancelled,
                    mapping, default_kind, started)
    finally:
        conn.exec_driver_sql("PRAGMA cache_size = -2000")


def _run(conn, path, format_code, report, provenance, communes, writer, progress, cancelled, mapping, default_kind,
         started) -> ImportReport:
    total = max(1, path.stat().st_size)
    is_cancelled = cancelled or (lambda: False)
    batch: list[SupplierRecord] = []
    # Progress is measured in rows; the total is an estimate from the size of the file.
    estimated_rows = max(1, total // 150)
    bulk: BulkLoad | None = BulkLoad(conn, writer, writer.origin) if estimated_rows > BULK_THRESHOLD else None

    def check_cancel() -> None:
        if is_cancelled():
            raise Cancelled("Import annulé : le catalogue n'a pas été modifié.")

    def flush() -> None:
        if bulk is not None:
            bulk.add(batch)
        else:
            add_counts(writer.write(batch))
        batch.clear()

    def add_counts(counts) -> None:
        report.added += counts.added
        report.updated += counts.updated
        report.unchanged += counts.unchanged

    records = None
    if bulk is not None and READ_IN_CHILD:
        # The file is read in another process while this one stages the rows (reader_process.py).
        batches = read_in_child(path, format_code, provenance, communes, writer.origin, mapping=mapping,
                                default_kind=default_kind)
        try:
            with closing(batches):  # a cancel or an error here stops the reading process
                for read in batches:
                    report.rows_read += read.lines
                    for line, reason in read.rejections:
                        report.reject(line, reason)
                    report.invalid_siret += read.invalid_siret
                    bulk.add_values(read.values)
                    check_cancel()
                    if progress:
                        progress(report.rows_read, max(estimated_rows, report.rows_read + 1),
                                 f"{report.rows_read} lignes lues")
            records = iter(())  # all read
        except ReaderUnavailable as exc:  # raised before any batch: nothing read yet
            log.warning("Import: no reading process (%s); the file is read in this one.", exc)
    if records is None:
        records = read_records(path, format_code, provenance, communes, mapping=mapping, default_kind=default_kind)
    for line, item in records:
        report.rows_read += 1
        if isinstance(item, RowRejected):
            report.reject(line, str(item))
        else:
            if item.siret and not item.siret_valid:
                report.invalid_siret += 1
            batch.append(item)
        if len(batch) >= BATCH_SIZE:
            flush()
            if bulk is None and report.rows_read > BULK_THRESHOLD:  # larger than its size suggested
                bulk = BulkLoad(conn, writer, writer.origin)
        if report.rows_read % 500 == 0:
            check_cancel()
            if progress:
                progress(report.rows_read, max(estimated_rows, report.rows_read + 1), f"{report.rows_read} lignes lues")
    check_cancel()
    flush()
    if bulk is not None:
        def step(message: str) -> None:
            check_cancel()
            if progress:
                progress(report.rows_read, report.rows_read + 1, message)

        with collection_paused():  # the map index's millions of entries hold no cycles (collection_pause.py)
            add_counts(bulk.finish(step))
    if progress:
        progress(report.rows_read, report.rows_read, "Import terminé")
    report.elapsed_s = round(time.perf_counter() - started, 3)
    return report
