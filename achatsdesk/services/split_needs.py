"""The homogeneous-needs warning over the stored dossiers (domain/split_needs.py).

In two parts, so that the editor reads the stored dossiers only when they or the
buyer and year change, not at every digit of the amount: ``stored_candidates`` (the
other dossiers of the same buyer and launch year, read in full) and
``homogeneous_needs_among`` (the warning for the dossier as it is now, in memory).
``stored_dossiers_stamp`` changes whenever another dossier is added, saved, put in the
Corbeille or deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.split_needs import StoredNeed, split_need_warning
from achatsdesk.domain.text import fold
from achatsdesk.services.dossier_rules import rule_resources
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.storage import dossier_summaries
from achatsdesk.storage.database import Database


def homogeneous_needs(database: Database, dossier: Dossier, exclude_id: int | None = None) -> list[str]:
    """[] or one French warning naming the stored dossiers that may split the same need."""
    return homogeneous_needs_among(dossier, stored_candidates(database, dossier, exclude_id))


def stored_candidates(database: Database, dossier: Dossier, exclude_id: int | None = None) -> list[StoredNeed]:
    """The stored dossiers (but ``exclude_id``) of the dossier's buyer and launch year, read in full."""
    name = fold(dossier.buyer.name).strip()
    if not name or dossier.launch_date is None:
        return []
    year = dossier.launch_date.year
    # The summaries narrow the candidates (buyer, year) before any dossier is read in full.
    candidates = [s.id for s in list_dossiers(database)
                  if s.id != exclude_id and fold(s.buyer_name).strip() == name
                  and s.launch_date is not None and s.launch_date.year == year]
    return [StoredNeed(i, get_dossier(database, i).dossier) for i in candidates]


def homogeneous_needs_among(dossier: Dossier, stored: list[StoredNeed]) -> list[str]:
    warning = split_need_warning(dossier, stored, rule_resources().thresholds) if stored else None
    return [warning] if warning else []


def stored_dossiers_stamp(database: Database, exclude_id: int | None = None) -> tuple:
    """A value that changes when a dossier other than ``exclude_id`` is added, saved, moved or deleted."""
    with database.shared_engine.connect() as conn:
        return dossier_summaries.others_stamp(conn, exclude_id)


class SplitNeedWatch:
    """The warning for one dossier being edited, kept between keys: the stored dossiers of its buyer
    and year are read again only when one of them changed (the stamp) or the buyer or year did, and the
    warning is worked out again only when what it looks at changed (buyer, nature, CPV, launch date,
    amount). The stamp scans the dossier table (2 ms at 2 000 dossiers): it is asked at most once per
    `stamp_every` seconds, so a colleague's save shows within that time of the next change."""

    def __init__(self, database: Database, dossier_id: int | None, stamp_every: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._database, self._dossier_id = database, dossier_id
        self._stamp_every, self._clock = stamp_every, clock
        self._stamp: tuple | None = None
        self._stamp_at: float | None = None
        self._stored_key: tuple | None = None
        self._stored: list[StoredNeed] = []
        self._key: tuple | None = None
        self._warnings: list[str] = []

    def warnings(self, dossier: Dossier) -> list[str]:
        """Errors reach the caller, and the next call starts afresh."""
        d = dossier
        key = (d.buyer.name, d.nature, tuple(d.cpv), tuple(lot.cpv for lot in d.lots), d.launch_date, d.amount_eur)
        try:
            now = self._clock()
            if self._stamp_at is None or now - self._stamp_at >= self._stamp_every:
                self._stamp, self._stamp_at = stored_dossiers_stamp(self._database, self._dossier_id), now
            stored_key = (d.buyer.name, d.launch_date.year if d.launch_date else None, self._stamp)
            if self._stored_key != stored_key:
                self._stored = stored_candidates(self._database, d, self._dossier_id)
                self._stored_key, self._key = stored_key, None
            if self._key != key:
                self._warnings, self._key = homogeneous_needs_among(d, self._stored), key
        except Exception:
            self._stored_key = self._key = None
            raise
        return self._warnings

    def look_again(self) -> None:
        """Ask for the stamp at the next call, whenever it was last asked."""
        self._stamp_at = None
