"""Qt tests: offscreen, set before any QApplication exists; background tasks run inline."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


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
def example_id(database):
    """The example dossier (examples/nettoyage-colleges.json) stored, by id."""
    import json
    from pathlib import Path

    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services import dossiers as svc

    example = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"
    return svc.create_dossier(database, Dossier.from_dict(json.loads(example.read_text(encoding="utf-8"))))


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
    from achatsdesk.ui.pages.catalogue_page import CataloguePage

    page = CataloguePage(shell_context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page
