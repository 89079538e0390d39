"""« ← Retour à la liste des dossiers » shows the list, not an empty page (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton


def test_back_to_the_list_shows_the_list(qtbot, main_window, example_id):
    page = main_window.show_section("dossiers")
    page.open_dossier(example_id)
    back = next(b for b in page.editor_host.findChildren(QPushButton) if b.text().startswith("← Retour"))
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert page.editor is None
    assert page.stack.currentWidget() is page.list_view and page.model.rowCount() == 1
