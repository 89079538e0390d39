"""The lever recommended by the local supply, with the suppliers behind it.

The count runs in the background (a catalogue search); the dossier's sector and
place decide when it must run again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
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
from achatsdesk.ui.tasks import TaskRunner

COLUMNS = ("Nom", "Type", "Commune", "Distance", "Source et date")


class LeverPanel(QGroupBox):
    advice_changed = Signal(object)  # LeverAdvice | None

    def __init__(self, database, reference, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("Levier conseillé selon l'offre locale", parent)
        self.setAccessibleName("Levier conseillé selon l'offre locale")
        self._database, self._reference, self._tasks = database, reference, tasks
        self.advice: LeverAdvice | None = None
        self.unknown_sector: int | None = None
        self._key: tuple | None = None
        self._task = None
        self._generation = 0  # only the latest count is shown when the dossier changes quickly
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
        place = self._reference.get_commune(dossier.place_insee) if dossier.place_insee else None
        name = f"{place.name} ({place.insee})" if place else None
        database = self._database

        found: dict = {}

        def work(control):
            from achatsdesk.services.catalogue_sourcing import unknown_sector_count
            from achatsdesk.services.rule_settings import lever_settings

            advice = advise_lever(dossier, catalogue_counter(database), place_name=name)
            settings = lever_settings()
            found["unknown"] = (unknown_sector_count(database, dossier, kinds=settings.kinds,
                                                     radius_km=float(settings.radius_km))
                                if advice.sectors else None)
            return advice

        self._generation += 1
        generation = self._generation
        self.verdict.setText("Calcul en cours…")
        self._task = self._tasks.run(
            work,
            on_done=lambda advice: self._show(advice, found.get("unknown")) if self._current(generation) else None,
            on_error=lambda exc: self._failed(exc) if self._current(generation) else None,
            writes=False,
        )

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

    def _show(self, advice: LeverAdvice, unknown_sector: int | None = None) -> None:
        self.advice = advice
        self.unknown_sector = unknown_sector  # structures near the place whose sector is not known
        decision = advice.decision
        self.verdict.setText(f"<b>{decision.label}</b>")
        self.reasons.setText("\n".join([*decision.reasons, *advice.notes]))
        self.table.setRowCount(len(advice.suppliers))
        for row, s in enumerate(advice.suppliers):
            values = (s.name, s.kind, s.commune or "", f"{format_number(s.distance_km, 1)}\u00a0km" if s.distance_km is not None else "",
                      f"{s.source} ({s.source_date})")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.advice_changed.emit(advice)
