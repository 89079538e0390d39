"""Operations: how the shell runs a user action that calls the core (Anki's CollectionOp, in small).

An operation runs one core call, either at once on the GUI thread (``run``, for
calls that take a few milliseconds: rename a list, record a decision) or on the
context's task runner (``run_in_background``, for what can take seconds:
imports, exports, a search), with a progress dialog and, when the call checks
``control.cancelled()``, a cancel button. Whatever fails is worded through the
one error path (ui/errors.py) unless the caller handles it (``failure``); a
cancelled call shows nothing. On success the operation announces what changed
on the ShellContext's signals (``Changes``), so that the views concerned refresh
themselves::

    operations.run(context, self, lambda: shortlists.rename_shortlist(db, list_id, name),
                   changes=Changes(shortlist=list_id), success=lambda _: self.reload())
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from achatsdesk.ui import errors
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.tasks import Task, TaskControl

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

T = TypeVar("T")


class Changes(NamedTuple):  # not a dataclass: defined before the first paint (main_window.Section)
    """What an operation changed, announced once it succeeded."""

    dossier: int | None = None  # -> context.dossier_saved(id)
    dossiers: bool = False  # the list of dossiers (created, imported, deleted) -> dossiers_changed()
    shortlist: int | None = None  # -> context.shortlist_changed(id)
    catalogue: bool = False  # -> context.catalogue_changed()


ChangesOf = Changes | Callable[[Any], Changes | None] | None


def announce(context: ShellContext, changes: Changes | None) -> None:
    if changes is None:
        return
    if changes.dossier is not None:
        context.dossier_saved.emit(changes.dossier)
    if changes.dossiers:
        context.dossiers_changed.emit()
    if changes.shortlist is not None:
        context.shortlist_changed.emit(changes.shortlist)
    if changes.catalogue:
        context.catalogue_changed.emit()


def _succeeded(context: ShellContext, result: T, success: Callable[[T], Any] | None, changes: ChangesOf) -> None:
    try:
        if success is not None:
            success(result)
    finally:
        announce(context, changes(result) if callable(changes) else changes)


def report(parent: QWidget | None, exc: BaseException) -> None:
    """Word a failure through the one error path (logged once). For a ``failure`` callback that
    handles some errors itself (a cancel, a refusal said inline) and leaves the others here."""
    errors.show_exception(parent, exc)


def _failed(parent: QWidget | None, exc: BaseException, failure: Callable[[BaseException], Any] | None) -> None:
    if failure is not None:
        failure(exc)
    else:
        report(parent, exc)


def run(context: ShellContext, parent: QWidget | None, call: Callable[[], T], *,
        success: Callable[[T], Any] | None = None, failure: Callable[[BaseException], Any] | None = None,
        changes: ChangesOf = None) -> T | None:
    """Run a quick core call now. Returns its result, or None when it failed (the error was shown)."""
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - the one error path words it
        _failed(parent, exc, failure)
        return None
    _succeeded(context, result, success, changes)
    return result


def attempt(context: ShellContext, parent: QWidget | None, call: Callable[[], Any], *,
            failure: Callable[[BaseException], Any] | None = None, changes: ChangesOf = None) -> bool:
    """Run a quick core call that returns nothing; True when it succeeded (else the error was shown,
    or handed to ``failure``)."""
    done: list[bool] = []
    run(context, parent, call, success=lambda _result: done.append(True), failure=failure, changes=changes)
    return bool(done)


def run_in_background(context: ShellContext, parent: QWidget | None, call: Callable[[TaskControl], T], *,
                      label: str = "", cancellable: bool = False, writes: bool = True,
                      success: Callable[[T], Any] | None = None,
                      failure: Callable[[BaseException], Any] | None = None,
                      progress: Callable[[int, int, str], Any] | None = None,
                      changes: ChangesOf = None) -> Task:
    """Run a slow core call on the task runner (database writes one after the other; ``writes=False``
    for reads). With a ``label``, a progress dialog shows while it runs (after 300 ms), with a cancel
    button if ``cancellable``. ``progress`` also receives the call's progress."""
    dialog = _progress_dialog(parent, label, cancellable) if label else None

    def close() -> None:
        if dialog is not None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

    def progressed(done: int, total: int, message: str) -> None:
        if dialog is not None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
            if message:
                dialog.setLabelText(message)
        if progress is not None:
            progress(done, total, message)

    def done(result: T) -> None:
        close()
        _succeeded(context, result, success, changes)

    def failed(exc: BaseException) -> None:
        close()
        _failed(parent, exc, failure)

    task = context.tasks.run(call, on_done=done, on_error=failed, on_progress=progressed, writes=writes)
    if dialog is not None and cancellable:
        dialog.canceled.connect(task.cancel)
    return task


def _progress_dialog(parent: QWidget | None, label: str, cancellable: bool) -> QProgressDialog:
    from PySide6.QtWidgets import QProgressDialog  # here: start-up runs no operation

    dialog = QProgressDialog(label, "Annuler" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("Opération en cours")
    dialog.setAccessibleName("Progression de l'opération")
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setValue(0)
    return dialog
