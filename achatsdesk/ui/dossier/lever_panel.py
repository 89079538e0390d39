"""The lever recommended by the local supply, with the suppliers behind it.

The count runs in the background (a catalogue search); the dossier's sector and
place decide when it must run again. Typing the amount changes only the budget:
the counts are kept by (sectors, kinds, place, radius), so a new amount is
answered at once from them. A count that is needed waits 250 ms after the last
change, runs on a worker, one at a time; a change during the count makes its
result stale (not shown) and the newest request runs next.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.formatting import format_number
from achatsdesk.services.lever_advice import LeverAdvice, advise_lever, catalogue_counter
from achatsdesk.services.rule_settings import lever_settings
from achatsdesk.ui.tasks import TaskRunner

COLUMNS = ("Nom", "Type", "Commune", "Distance", "Source et date")
DEBOUNCE_MS = 250
_MAX_CACHED = 64


class _NotCounted(Exception):
    """advise_lever asked for a count the panel has not made yet."""


def _count_key(args: tuple) -> tuple:
    return tuple(tuple(a) if isinstance(a, list | tuple) else a for a in args)


class LeverPanel(QGroupBox):
    advice_changed = Signal(object)  # LeverAdvice | None

    def __init__(self, database, reference, tasks: TaskRunner, parent: QWidget | None = None, *,
                 config: Path | None = None) -> None:
        super().__init__("Levier conseillé selon l'offre locale", parent)
        self.setAccessibleName("Levier conseillé selon l'offre locale")
        self._database, self._reference, self._tasks = database, reference, tasks
        self._config = config  # the configuration folder of the window's context (lever thresholds)
        self.advice: LeverAdvice | None = None
        self.unknown_sector: int | None = None  # structures near the place whose sector is not known
        self._key: tuple | None = None
        self._task = None
        self._generation = 0  # only the latest count is shown when the dossier changes quickly
        self._supplies: dict[tuple, object] = {}  # LocalSupply by the counter's arguments
        self._places: dict[str, str | None] = {}
        self._waiting: tuple | None = None  # (dossier, place name, generation) waiting for a count
        self._running = False
        self.counts_started = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_count)
        self.verdict = QLabel("Calcul en cours…")
        self.verdict.setObjectName("leverVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Levier conseillé")
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName("Raisons du levier")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Structures inclusives retenues")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(140)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        layout.addWidget(self.table)

    def show_dossier(self, dossier: Dossier) -> None:
        key = (tuple(dossier.cpv), tuple(lot.cpv for lot in dossier.lots), dossier.place_insee,
               dossier.amount_eur, dossier.duration_months)
        if key == self._key:
            return
        self._key = key
        name = self._place_name(dossier.place_insee)
        self._generation += 1
        advice = self._from_counts(dossier, name)
        if advice is not None:  # only the budget changed: no count to wait for
            self._timer.stop()
            self._waiting = None
            self._show(advice)
            return
        self._waiting = (dossier, name, self._generation)
        self.verdict.setText("Calcul en cours…")
        if TaskRunner.synchronous or (self.advice is None and not self._running):
            self._start_count()  # the dossier just opened (or tests): no keystroke to wait for
        else:
            self._timer.start()

    def _place_name(self, insee: str | None) -> str | None:
        if not insee:
            return None
        if insee not in self._places:
            place = self._reference.get_commune(insee)
            self._places[insee] = f"{place.name} ({place.insee})" if place else None
        return self._places[insee]

    def _from_counts(self, dossier: Dossier, name: str | None) -> LeverAdvice | None:
        """The advice from the counts already made, or None when a count is missing."""
        def counter(*args):
            supply = self._supplies.get(_count_key(args))
            if supply is None:
                raise _NotCounted
            return supply

        try:
            return advise_lever(dossier, counter, settings=lever_settings(self._config), place_name=name)
        except _NotCounted:
            return None

    def _start_count(self) -> None:
        if self._running or self._waiting is None:
            return  # one count at a time: the waiting request starts when the running one ends
        dossier, name, generation = self._waiting
        self._waiting = None
        self._running = True
        self.counts_started += 1
        count = catalogue_counter(self._database)
        counted: dict[tuple, object] = {}

        found: dict = {}

        def work(control):
            from achatsdesk.services.catalogue_sourcing import unknown_sector_count
            def counter(*args):
                supply = count(*args)
                counted[_count_key(args)] = supply
                return supply

            settings = lever_settings(self._config)
            advice = advise_lever(dossier, counter, settings=settings, place_name=name)
            # Beside the sector's structures, those of unknown sector near the place (the sourcing box
            # says "+ N structures sans secteur connu"); it depends on the place, not on the amount.
            found["unknown"] = (unknown_sector_count(self._database, dossier, kinds=settings.kinds,
                                                     radius_km=float(settings.radius_km))
                                if advice.sectors else None)
            return advice

        def finished(advice=None, exc=None) -> None:
            import shiboken6

            if not shiboken6.isValid(self):
                return
            self._running = False
            if len(self._supplies) + len(counted) > _MAX_CACHED:
                self._supplies.clear()
            self._supplies.update(counted)
            if self._current(generation):
                self._show(advice, found.get("unknown")) if exc is None else self._failed(exc)
            self._next()

        self._task = self._tasks.run(work, on_done=lambda advice: finished(advice),
                                     on_error=lambda exc: finished(exc=exc), writes=False)

    def _next(self) -> None:
        """After a count: the newest request, from the counts if they now suffice, else counted next."""
        if self._waiting is None or self._timer.isActive():
            return
        dossier, name, generation = self._waiting
        advice = self._from_counts(dossier, name)
        if advice is None:
            self._start_count()
            return
        self._waiting = None
        if self._current(generation):
            self._show(advice)

    def _current(self, generation: int) -> bool:
        """False for a stale count, or when the panel was closed while the count ran."""
        import shiboken6

        return generation == self._generation and shiboken6.isValid(self)

    def _failed(self, exc: BaseException) -> None:
        from achatsdesk.ui.errors import log_exception, user_text

        log_exception(exc)  # worded in the panel itself, not in a dialog
        self.advice = None
        self.verdict.setText(f"Le levier n'a pas pu être calculé : {user_text(exc)[1]}")
        self.table.setRowCount(0)
        self.advice_changed.emit(None)

    def _show(self, advice: LeverAdvice, unknown_sector: int | None | bool = False) -> None:
        """``unknown_sector``: the new count of structures of unknown sector, or False to keep the
        last one (a new budget changes nothing near the place)."""
        previous, self.advice = self.advice, advice
        if unknown_sector is not False:
            self.unknown_sector = unknown_sector
        decision = advice.decision
        self.verdict.setText(f"<b>{decision.label}</b>")
        self.reasons.setText("\n".join([*decision.reasons, *advice.notes]))
        if previous is not None and previous.suppliers == advice.suppliers and self.table.rowCount() == len(advice.suppliers):
            if (previous.decision, previous.area) != (decision, advice.area):
                self.advice_changed.emit(advice)
            return  # a new budget with the same suppliers: the table and what follows the lever stay
        self.table.setRowCount(len(advice.suppliers))
        for row, s in enumerate(advice.suppliers):
            values = (s.name, s.kind, s.commune or "", f"{format_number(s.distance_km, 1)}\u00a0km" if s.distance_km is not None else "",
                      f"{s.source} ({s.source_date})")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.advice_changed.emit(advice)
