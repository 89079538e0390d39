from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from achatsdesk.errors import InputFileError
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

    TaskRunner.run(work, on_done=events.append, on_progress=lambda d, t, m: events.append((d, t)))
    assert events == [(1, 3), (2, 3), (3, 3), "fini"]

    errors = []
    TaskRunner.run(lambda c: 1 / 0, on_error=errors.append)
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

    task = TaskRunner.run(work, on_done=seen.append)
    task.cancel()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == ["annulé"]
