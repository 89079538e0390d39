from __future__ import annotations

import logging
import sys
import time

import pytest
from PySide6.QtWidgets import QMessageBox

from achatsdesk.errors import Cancelled, InputFileError
from achatsdesk.ui.errors import GENERIC_MESSAGE, user_text
from achatsdesk.ui.tasks import TaskRunner


def test_our_errors_speak_for_themselves_others_do_not_leak() -> None:
    title, message = user_text(InputFileError("Le fichier « x.csv » est illisible.", hint="Enregistrez-le en UTF-8."))
    assert title == "Fichier illisible"
    assert message == "Le fichier « x.csv » est illisible. Enregistrez-le en UTF-8."
    title, message = user_text(KeyError("internal detail"))
    assert message == GENERIC_MESSAGE and "internal" not in message


def test_show_exception_opens_a_french_dialog(qtbot, monkeypatch) -> None:
    shown = {}

    def fake_exec(box: QMessageBox) -> int:
        shown["title"], shown["text"] = box.windowTitle(), box.text()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    from achatsdesk.ui.errors import show_exception

    show_exception(None, InputFileError("Le fichier est vide.", hint="Choisissez un autre fichier."))
    assert shown == {"title": "Fichier illisible", "text": "Le fichier est vide. Choisissez un autre fichier."}


def test_task_runner_reports_progress_result_and_errors(qtbot) -> None:
    events = []

    def work(control):
        for i in range(3):
            control.progress(i + 1, 3, "étape")
        return "fini"

    runner = TaskRunner()
    runner.run(work, on_done=events.append, on_progress=lambda d, t, m: events.append((d, t)))
    assert events == [(1, 3), (2, 3), (3, 3), "fini"]

    errors = []
    runner.run(lambda c: 1 / 0, on_error=errors.append)
    assert isinstance(errors[0], ZeroDivisionError)


def test_task_can_be_cancelled(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(TaskRunner, "synchronous", False)
    seen = []

    def work(control):
        import time

        for _ in range(200):
            if control.cancelled():
                return "annulé"
            time.sleep(0.01)
        return "terminé"

    task = TaskRunner().run(work, on_done=seen.append)
    task.cancel()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == ["annulé"]


def test_keyboard_interrupt_and_system_exit_are_not_worded(qtbot, message_boxes) -> None:
    runner = TaskRunner()
    errors = []

    def interrupted(_control):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runner.run(interrupted, on_error=errors.append)
    with pytest.raises(SystemExit):
        runner.run(lambda _control: sys.exit(3), on_error=errors.append)
    assert errors == [] and message_boxes.shown == []


def test_database_writes_run_one_after_the_other(qtbot, monkeypatch) -> None:
    """The single writer: two writing tasks never overlap (Anki's collection executor)."""
    monkeypatch.setattr(TaskRunner, "synchronous", False)
    runner = TaskRunner()
    spans: list[tuple[float, float]] = []

    def write(_control):
        start = time.perf_counter()
        time.sleep(0.05)
        return start, time.perf_counter()

    for _ in range(3):
        runner.run(write, on_done=spans.append)
    qtbot.waitUntil(lambda: len(spans) == 3, timeout=5000)
    spans.sort()
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False))


def test_a_cancelled_task_shows_nothing(qtbot, message_boxes, caplog) -> None:
    from achatsdesk.ui.errors import show_exception

    with caplog.at_level(logging.INFO):
        show_exception(None, Cancelled("Import annulé : le catalogue n'a pas été modifié."))
    assert message_boxes.shown == []
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_errors_raised_while_a_dialog_is_open_are_gathered(qtbot, monkeypatch, message_boxes) -> None:
    """No modal dialog on top of another: what fails meanwhile is shown once the first is closed."""
    from achatsdesk.ui import errors

    shown = []

    def exec_with_more_errors(box: QMessageBox) -> int:
        shown.append(box.text())
        if len(shown) == 1:  # while the first dialog's event loop runs, two more errors come in
            errors.show_exception(None, InputFileError("Le fichier « b.csv » est vide."))
            errors.show_exception(None, InputFileError("Le fichier « c.csv » est vide."))
            errors.show_exception(None, InputFileError("Le fichier « c.csv » est vide."))  # the same, once
            assert len(shown) == 1  # not stacked
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_with_more_errors)
    errors.show_exception(None, InputFileError("Le fichier « a.csv » est vide."))
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=2000)
    qtbot.wait(50)
    assert shown[0] == "Le fichier « a.csv » est vide."
    assert len(shown) == 2 and "b.csv" in shown[1] and "c.csv" in shown[1] and shown[1].count("c.csv") == 1


def test_the_excepthook_logs_each_traceback_once(qtbot, monkeypatch, caplog, message_boxes) -> None:
    from achatsdesk.ui import errors

    saved = sys.excepthook
    errors.install_excepthook()
    try:
        try:
            raise RuntimeError("détail interne")
        except RuntimeError as exc:
            with caplog.at_level(logging.INFO):
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = saved
    with_traceback = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert len(with_traceback) == 1
    message_boxes.expect(1)
    assert message_boxes.shown == [("Erreur inattendue", errors.GENERIC_MESSAGE)]
