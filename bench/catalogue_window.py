"""Keystroke latency in the catalogue window: from a key press to the results table updated.

Background tasks run inline here (as in the tests), so the time measured
holds the search, the table reset and the detail pane of the first row.
"""

from __future__ import annotations

import time


def keystroke_times(database, words: list[str]) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from achatsdesk.paths import app_paths
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.catalogue.catalogue_page import CataloguePage
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.settings import Settings
    from achatsdesk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    TaskRunner.synchronous = True
    paths = app_paths().ensure()
    page = CataloguePage(ShellContext(paths, database, Settings(paths.config), ReferenceService(database)))
    page.resize(1200, 800)
    page.show()
    app.processEvents()
    times: list[float] = []
    for word in words:
        page.search_field.clear()
        app.processEvents()
        for char in word:
            before = page._searches
            started = time.perf_counter()
            QTest.keyClick(page.search_field, char)
            app.processEvents()
            if page._searches > before:
                times.append((time.perf_counter() - started) * 1000)
        QTest.keyClick(page.search_field, Qt.Key.Key_Escape)
    page.close()
    return times
