"""Qt tests: offscreen, set before any QApplication exists; background tasks run inline.

No message box may open unannounced: a modal box would wait for a click that
never comes (until the 120 s timeout). ``message_boxes`` closes at once any
box the test does not answer itself, keeps its (title, text) in
``message_boxes.shown``, and fails the test at its end when more boxes were
left unanswered than it declared (``message_boxes.expect(n)``). A test that
answers a box (a QTimer clicking a button, a replaced ``offer_…`` function or
QMessageBox.question) has declared it that way. The static QMessageBox
functions answer No/Ok at once, counted the same way.
``shown_errors`` stands in for the one error path and keeps what it was given.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


class MessageBoxes:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []  # (title, text) of each box, in order
        self.expected = 0

    def expect(self, count: int = 1) -> None:
        self.expected += count


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    boxes = MessageBoxes()

    original_exec = QMessageBox.exec

    def guarded_exec(box: QMessageBox) -> int:
        def close_if_unanswered() -> None:
            if box.isVisible():  # the test did not answer it: close it, and count it
                boxes.shown.append((box.windowTitle(), box.text()))
                box.done(int(QMessageBox.StandardButton.Cancel))

        QTimer.singleShot(0, close_if_unanswered)  # after what the test itself scheduled to answer it
        return original_exec(box)

    def shown_static(answer):
        def static(parent, title, text, *args, **kwargs):
            boxes.shown.append((title, text))
            return answer

        return static

    monkeypatch.setattr(QMessageBox, "exec", guarded_exec)
    monkeypatch.setattr(QMessageBox, "question", shown_static(QMessageBox.StandardButton.No))
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, shown_static(QMessageBox.StandardButton.Ok))
    yield boxes
    if len(boxes.shown) > boxes.expected:
        pytest.fail(f"unexpected message box(es): {boxes.shown[boxes.expected:]}")


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """The exceptions handed to the one error path (ui/errors.show_exception), no dialog."""
    from achatsdesk.ui import errors

    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_exception", lambda _parent, exc: shown.append(exc))
    return shown


@pytest.fixture(autouse=True)
def _synchronous_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    from achatsdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(TaskRunner, "synchronous", True)


@pytest.fixture(autouse=True)
def _wheel_guard(qapp):
    """The application-wide wheel guard, as app.py installs it."""
    from achatsdesk.ui.widgets.wheel_guard import install_wheel_guard

    return install_wheel_guard(qapp)


@pytest.fixture
def shell_context(paths, database):
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.settings import Settings

    return ShellContext(paths, database, Settings(paths.config), ReferenceService(database))


@pytest.fixture
def main_window(qtbot, shell_context):
    from achatsdesk.ui.main_window import MainWindow

    window = MainWindow(shell_context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def example_id(database, example_dossier):
    """The example dossier (examples/nettoyage-colleges.json) stored, by id."""
    from achatsdesk.services import dossiers as svc

    return svc.create_dossier(database, example_dossier)


@pytest.fixture
def make_editor(qtbot, shell_context):
    """Build a shown dossier editor for a stored dossier id."""

    def build(dossier_id, review_mode=False, width=1200):
        from achatsdesk.ui.dossier.editor import DossierEditor

        editor = DossierEditor(shell_context, dossier_id, review_mode=review_mode)
        qtbot.addWidget(editor)
        editor.resize(width, 800)
        editor.show()
        return editor

    return build


@pytest.fixture
def catalogue_page(qtbot, shell_context):
    """The Catalogue ESS page, shown, on the embedded catalogue (loaded when the database opened)."""
    from achatsdesk.ui.catalogue.catalogue_page import CataloguePage

    page = CataloguePage(shell_context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page
