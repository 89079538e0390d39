"""Autosave: a save about one second after the last edit, at least every few seconds while
the buyer keeps typing without a pause, and a truthful status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

DELAY_MS = 1000
MAX_WAIT_MS = 5000  # continuous typing is saved at least this often


class Autosaver(QObject):
    status_changed = Signal(str)

    def __init__(self, save: Callable[[], None], parent: QObject | None = None, clock: Callable[[], datetime] = datetime.now,
                 *, delay_ms: int = DELAY_MS, max_wait_ms: int = MAX_WAIT_MS) -> None:
        super().__init__(parent)
        self._save, self._clock = save, clock
        self.dirty = False
        self.failed = False
        self.last_saved: datetime | None = None
        self._debounce = QTimer(self, singleShot=True, interval=delay_ms)
        self._debounce.timeout.connect(self.flush)
        # Started by the first unsaved edit and not restarted by the next ones: the debounce
        # alone would wait forever for a pause that a fast typist never makes.
        self._deadline = QTimer(self, singleShot=True, interval=max_wait_ms)
        self._deadline.timeout.connect(self.flush)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(lambda: self.status_changed.emit(self.status_text()))
        self._tick.start()

    def schedule(self) -> None:
        if not self._deadline.isActive():
            self._deadline.start()
        self.dirty = True
        self._debounce.start()
        self.status_changed.emit(self.status_text())

    def flush(self) -> None:
        """Save now if something changed (leaving the editor, closing the window)."""
        self._debounce.stop()
        self._deadline.stop()
        if not self.dirty:
            return
        try:
            self._save()  # the save function reports the error to the user itself
        except Exception:  # noqa: BLE001 - keep the edits in memory and retry at the next edit
            self.failed = True
            self.status_changed.emit(self.status_text())
            return
        self.failed = False
        self.dirty = False
        self.last_saved = self._clock()
        self.status_changed.emit(self.status_text())

    def status_text(self) -> str:
        if self.failed:
            return "Enregistrement impossible : vos modifications restent affichées, elles seront réessayées à la prochaine saisie."
        if self.dirty:
            return "Modifications en cours d'enregistrement…"
        if self.last_saved is None:
            return "Dossier enregistré"
        seconds = int((self._clock() - self.last_saved).total_seconds())
        if seconds < 2:
            return "Enregistré à l'instant"
        if seconds < 60:
            return f"Enregistré il y a {seconds} s"
        return f"Enregistré à {self.last_saved:%H:%M}"
