"""The dossiers list, read with plain sqlite3.

One query serves both the quick start (the window lists the dossiers before
SQLAlchemy is even imported) and services.dossiers, which runs it on the
engine that holds the dossiers (the local file, or the team server: the query
is plain SQL both understand): there is one definition of a list line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from achatsdesk.domain.amounts import to_amount
from achatsdesk.domain.dossier_status import DossierStatus
from achatsdesk.domain.text import fold

# A dossier whose lots carry amounts is worth their sum; otherwise its own estimate (as
# Dossier.amount_eur). Dossiers in the Corbeille (deleted_at set) are not listed. The lots are
# summed once, grouped, and joined: a subquery per dossier took 2-3 times longer on PostgreSQL
# (bench/team.py) and about 1.5 times on SQLite, for the same lines.
_SUMMARIES = """
SELECT d.id, d.title, d.reference, d.buyer_name, d.status, d.launch_date, d.updated_at,
       coalesce(nullif(l.cents, 0), d.estimated_amount_cents) AS amount_cents, d.taken_by
FROM dossier AS d
LEFT JOIN (SELECT dossier_id, sum(amount_cents) AS cents FROM dossier_lot GROUP BY dossier_id) AS l
       ON l.dossier_id = d.id
WHERE d.deleted_at IS NULL AND (CAST(:status AS VARCHAR) IS NULL OR d.status = :status)
ORDER BY d.updated_at DESC, d.id DESC
"""


class DossierSummary(NamedTuple):
    """One line of the dossiers list (a named tuple: defined before the window's first paint,
    where a frozen dataclass costs ten times as much to define)."""

    id: int
    title: str
    reference: str
    buyer_name: str
    status: DossierStatus
    amount_eur: Decimal
    launch_date: date | None
    updated_at: datetime
    taken_by: str = ""  # team mode: who took it away offline (colleagues see it; it comes back by "Rapporter")


# A list line and its folded search key (folded when first searched), by the row it was read from:
# typing in the search field re-reads the rows (one query) but neither rebuilds nor re-folds the lines
# that did not change, and the first list (at start-up) folds nothing.
_LINES: dict[tuple, list] = {}  # row -> [DossierSummary, folded key or None]
_MAX_LINES = 20_000


def _line(row: tuple) -> list:
    found = _LINES.get(row)
    if found is None:
        dossier_id, title, reference, buyer, row_status, launch, updated, cents, taken_by = row
        summary = DossierSummary(
            dossier_id, title, reference or "", buyer or "", DossierStatus(row_status),
            to_amount(Decimal(int(cents or 0)).scaleb(-2)),
            _as_date(launch), updated if isinstance(updated, datetime) else datetime.fromisoformat(updated),
            taken_by or "",
        )
        if len(_LINES) >= _MAX_LINES:
            _LINES.clear()
        found = _LINES[row] = [summary, None]
    return found


def _as_date(value: date | str | None) -> date | None:
    # sqlite3 returns the ISO text, the server's driver a date.
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


class LazySummaries(Sequence):
    """The lines of one unfiltered read, each made when first asked for.

    A window shows a screenful of a 2 000-dossier list: at start-up it builds those
    lines only, the others when they are scrolled to (the rows themselves are all
    read: the count, the order and the selection are those of the whole list).
    """

    __slots__ = ("_rows", "_lines")

    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows
        self._lines: list[DossierSummary | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):  # noqa: ANN001 - an int or a slice, as a list takes
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        line = self._lines[index]
        if line is None:
            line = self._lines[index] = _line(self._rows[index])[0]
        return line


def read_summaries(connection: sqlite3.Connection, status: str | None = None, text: str = "",
                   *, lazy: bool = False) -> Sequence[DossierSummary]:
    """The dossiers, most recently changed first, filtered by status and by words
    of the title, reference or buyer (accents and case optional).

    A list; with ``lazy`` and no words, a LazySummaries that makes each line when first read.
    """
    rows = connection.execute(_SUMMARIES, {"status": status or None})
    if lazy and not text.split():
        return LazySummaries(rows.fetchall())
    return summaries_from_rows(rows, text)


def data_version(connection: sqlite3.Connection) -> int:
    """Changes when another connection has committed since (SQLite's ``PRAGMA data_version``)."""
    return connection.execute("PRAGMA data_version").fetchone()[0]


def summaries_query() -> str:
    """The list's SQL, with one named parameter ``status``, for an engine of either kind."""
    return _SUMMARIES


def summaries_from_rows(rows, text: str = "") -> list[DossierSummary]:
    words = fold(text).split()
    summaries = []
    for row in rows:
        row = tuple(row)
        line = _line(row)
        if words:
            if line[1] is None:
                line[1] = fold(f"{row[1]} {row[2]} {row[3]}")
            if not all(word in line[1] for word in words):
                continue
        summaries.append(line[0])
    return summaries


COUNT_QUERY = "SELECT count(*) FROM dossier WHERE deleted_at IS NULL"
# A value that moves whenever a dossier other than :me is added, saved (each save adds one to its
# revision), moved to the Corbeille or deleted; an engine of either kind.
_OTHERS_STAMP = "SELECT count(*), coalesce(sum(revision), 0), count(deleted_at) FROM dossier WHERE id <> :me"


def others_stamp(connection, exclude_id: int | None) -> tuple:
    """_OTHERS_STAMP on a connection of the engine holding the dossiers (Database.shared_engine)."""
    from sqlalchemy import text

    return tuple(connection.execute(text(_OTHERS_STAMP), {"me": -1 if exclude_id is None else exclude_id}).one())


def count_dossiers(connection: sqlite3.Connection) -> int:
    return connection.execute(COUNT_QUERY).fetchone()[0]
