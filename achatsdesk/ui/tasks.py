"""Background work for the shell (Anki's task manager, in small).

``TaskRunner.run`` runs a plain function on a worker thread and posts its
result, error or progress back to the GUI thread. The function receives a
``TaskControl`` with ``progress(done, total, message)`` and ``cancelled()``:
the core's progress/cancel callables.

One runner lives on the ShellContext (``context.tasks``). Work that writes to
the database goes to its single writer thread, one task after the other, as
Anki's collection executor does: two imports never interleave their
transactions. Reads (a search, the indicators) run on the shared pool.

An ``Exception`` goes to ``on_error`` (by default the one error path, which
keeps a cancelled task silent); a ``BaseException`` (KeyboardInterrupt,
SystemExit) is not a failure to word: it is raised again on the GUI thread.

Tests set ``TaskRunner.synchronous`` so that work runs inline and deterministically.
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
    def __init__(self, fn: Callable[[TaskControl], Any], signals: _Signals, control: TaskControl,
                 inline: bool) -> None:
        super().__init__()
        self._fn, self._signals, self._control, self._inline = fn, signals, control, inline

    def run(self) -> None:
        try:
            result = self._fn(self._control)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI's error path
            self._signals.failed.emit(exc)
        except BaseException as exc:
            if self._inline:
                raise  # on the GUI thread already: let it through as it is
            self._signals.failed.emit(exc)  # raised again on the GUI thread
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
    synchronous = False  # tests: run inline

    def __init__(self) -> None:
        self._writer = QThreadPool()
        self._writer.setMaxThreadCount(1)  # database writes, one after the other
        self._live: set[Task] = set()

    def run(
        self,
        fn: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        *,
        writes: bool = True,
    ) -> Task:
        """Run ``fn`` in the background; ``writes=False`` for work that only reads (it may run beside others)."""
        task = Task()
        if on_progress:
            task.signals.progressed.connect(on_progress)

        def done(result: Any) -> None:
            self._live.discard(task)
            if on_done:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._live.discard(task)
            if not isinstance(exc, Exception):
                raise exc  # KeyboardInterrupt, SystemExit: not ours to word
            if on_error:
                on_error(exc)
            else:
                from achatsdesk.ui.errors import show_exception

                show_exception(None, exc)

        task.signals.finished.connect(done)
        task.signals.failed.connect(failed)
        self._live.add(task)
        inline = self.synchronous
        runnable = _Runnable(fn, task.signals, task.control, inline)
        if inline:
            runnable.run()
        else:
            (self._writer if writes else QThreadPool.globalInstance()).start(runnable)
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the database writes under way (at exit: never cut an import short)."""
        return self._writer.waitForDone(msecs)
