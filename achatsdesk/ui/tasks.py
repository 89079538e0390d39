"""One helper for background work.

``run_task`` runs a plain function on a worker thread and posts its result,
error or progress back to the GUI thread. The function receives a
``TaskControl`` with ``progress(done, total, message)`` and ``cancelled()``:
the core's progress/cancel callables. Tests set ``TaskRunner.synchronous``
so work runs inline and deterministically.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskControl:
    def __init__(self, on_progress: Callable[[int, int, str], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int, message: str = "") -> None:
        if self._on_progress is not None:
            self._on_progress(done, total, message)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskControl], Any], signals: _Signals, control: TaskControl) -> None:
        super().__init__()
        self._fn, self._signals, self._control = fn, signals, control

    def run(self) -> None:
        try:
            result = self._fn(self._control)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI's error path
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Task(QObject):
    """A running task: keep it to cancel it; it keeps its signals alive."""

    def __init__(self) -> None:
        super().__init__()
        self.signals = _Signals()
        self.control = TaskControl(lambda d, t, m: self.signals.progressed.emit(d, t, m))

    def cancel(self) -> None:
        self.control.cancel()


class TaskRunner:
    synchronous = False
    _live: set[Task] = set()

    @classmethod
    def run(
        cls,
        fn: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        task = Task()
        if on_progress:
            task.signals.progressed.connect(on_progress)

        def done(result: Any) -> None:
            cls._live.discard(task)
            if on_done:
                on_done(result)

        def failed(exc: BaseException) -> None:
            cls._live.discard(task)
            if on_error:
                on_error(exc)
            else:
                from achatsdesk.ui.errors import show_exception

                show_exception(None, exc)

        task.signals.finished.connect(done)
        task.signals.failed.connect(failed)
        cls._live.add(task)
        if cls.synchronous:
            _Runnable(fn, task.signals, task.control).run()
        else:
            QThreadPool.globalInstance().start(_Runnable(fn, task.signals, task.control))
        return task


run_task = TaskRunner.run
