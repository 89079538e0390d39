"""Take a screenshot of the real main window on the current display (e.g. under Xvfb).

Usage: xvfb-run -s "-screen 0 1366x800x24" python scripts/screenshot.py OUT.png [SECTION]
SECTION is dossiers, catalogue or clauses; "exemple" opens the example dossier in the editor;
"heures" the example with an insertion clause whose hours were typed over the sizing (the
Considérations sociales step); "export" the same with the export check listing its warnings;
"retour" the example sent back "À reprendre" by the head, with the banner at the top.
Used for the README pictures; runs against ACHATSDESK_HOME (point it to a scratch folder:
the scenes add example dossiers).
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
    keep = []
    if section == "exemple":
        window.show_section("dossiers").open_example()
    elif section in ("heures", "export", "retour"):
        keep.append(_scene(window, database, section))
    else:
        window.show_section(section)

    def grab() -> None:
        QGuiApplication.primaryScreen().grabWindow(0).save(out)
        app.quit()

    QTimer.singleShot(1500, grab)
    app.exec()
    return 0


def _scene(window, database, section: str):
    """The example dossier set up for one of the README pictures; returns what must stay alive."""
    from achatsdesk.domain.dossier import ClauseSelection
    from achatsdesk.services import dossiers
    from achatsdesk.services.review_return import record_sending

    page = window.show_section("dossiers")
    editor = page.open_example()
    editor.apply_edit("Ajouter une clause", lambda d: d.clauses.append(
        ClauseSelection("insertion-heures", "1.0", {"heures": 2000})))
    editor.save_now()
    if section == "retour":
        dossier_id = editor.dossier_id
        record_sending(database, dossier_id)
        dossiers.record_review(database, dossier_id, "a_reprendre", "Mme Martin (exemple)",
                               "Précisez le nombre d'heures d'insertion : 2 000 h saisies, le calcul en donne moins.")
        return page.open_dossier(dossier_id)
    steps = [editor.nav.item(row).data(256) for row in range(editor.nav.count())]
    editor.nav.setCurrentRow(steps.index("social"))
    if section == "export":
        from achatsdesk.services.exports import export_warnings
        from achatsdesk.ui.dossier.export_check_dialog import ExportCheckDialog

        dialog = ExportCheckDialog(export_warnings(editor.current_dossier(), database), window)
        dialog.move(window.x() + 260, window.y() + 140)
        dialog.show()
        return dialog
    return editor


if __name__ == "__main__":
    raise SystemExit(main())
