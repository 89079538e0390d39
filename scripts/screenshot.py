"""Take a screenshot of the real main window on the current display (e.g. under Xvfb).

Usage: xvfb-run -s "-screen 0 1366x800x24" python scripts/screenshot.py OUT.png [SECTION]
SECTION is dossiers, catalogue or clauses; "exemple" opens the example dossier in the editor.
Used for the README picture; runs against the user's ACHATSDESK_HOME.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from achatsdesk.app import install_translators
from achatsdesk.paths import app_paths
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.reference import ReferenceService
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.main_window import MainWindow
from achatsdesk.ui.settings import Settings


def main() -> int:
    out = sys.argv[1]
    section = sys.argv[2] if len(sys.argv) > 2 else "dossiers"
    app = QApplication(sys.argv[:1])
    install_translators(app)
    paths = app_paths().ensure()
    database = open_database(paths)
    window = MainWindow(ShellContext(paths, database, Settings(paths.config), ReferenceService(database)))
    window.resize(1280, 760)
    window.move(20, 20)
    window.show()
    if section == "exemple":
        window.show_section("dossiers").open_example()
    else:
        window.show_section(section)

    def grab() -> None:
        QGuiApplication.primaryScreen().grabWindow(0).save(out)
        app.quit()

    QTimer.singleShot(1500, grab)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
