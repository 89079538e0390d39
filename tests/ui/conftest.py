"""Qt tests: offscreen, set before any QApplication exists; background tasks run inline."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _synchronous_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    from achatsdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(TaskRunner, "synchronous", True)


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
