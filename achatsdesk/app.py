"""Composition root: logging, paths, migration, QApplication, translators, main window.

``achatsdesk --self-check`` starts everything, waits for the main window's
first paint, prints a one-line summary and exits 0 (used by the installer
smoke test and bench/startup.py). ``--qt-probe`` only checks that Qt's
platform plugin loads (used by ``achatsdesk-cli doctor``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from achatsdesk import __version__

log = logging.getLogger("achatsdesk")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="achatsdesk", description="achatsdesk, le poste de l'acheteur public.")
    parser.add_argument("--self-check", action="store_true", help="démarre, affiche la fenêtre puis quitte")
    parser.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="journal détaillé")
    parser.add_argument("--version", action="version", version=f"achatsdesk {__version__}")
    args, _qt_args = parser.parse_known_args(argv[1:])
    return args


def _qt_probe() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    print(app.platformName())
    return 0


def install_translators(app) -> list:
    """French for Qt's own dialogs (buttons, file dialogs) from Qt's qtbase_fr."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translators = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else argv)
    args = _parse(argv)
    if args.qt_probe:
        return _qt_probe()

    from achatsdesk.errors import AchatsdeskError
    from achatsdesk.logging_setup import setup_logging
    from achatsdesk.paths import app_paths

    paths = app_paths().ensure()
    setup_logging(paths.logs, verbose=args.verbose)
    log.info("achatsdesk %s starting", __version__)

    startup_error: AchatsdeskError | None = None
    database = None
    try:
        from achatsdesk.services.bootstrap import open_database

        database = open_database(paths)
    except AchatsdeskError as exc:
        startup_error = exc

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv[:1])
    app.setApplicationName("achatsdesk")
    app.setApplicationDisplayName("achatsdesk")
    app.setOrganizationName("achatsdesk")
    app.setApplicationVersion(__version__)
    install_translators(app)

    from achatsdesk.ui.errors import install_excepthook, show_exception

    install_excepthook()
    if startup_error is not None:
        log.error("Start-up refused: %s", startup_error.detail or startup_error.message)
        if args.self_check:
            print(f"self-check: ÉCHEC — {startup_error.user_message}", file=sys.stderr)
            return 1
        show_exception(None, startup_error)
        return 1

    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.main_window import MainWindow
    from achatsdesk.ui.settings import Settings

    context = ShellContext(paths, database, Settings(paths.config), ReferenceService(database))
    window = MainWindow(context)
    if args.self_check:
        return _self_check(app, window, started)
    window.show()
    return app.exec()


def _self_check(app, window, started: float) -> int:
    from PySide6.QtCore import QTimer

    outcome = {"painted": False}

    def painted() -> None:
        outcome["painted"] = True
        elapsed = time.perf_counter() - started
        sections = window.rail.count()
        print(
            f"self-check: OK — fenêtre « {window.windowTitle()} » peinte en {elapsed:.3f} s, "
            f"{sections} sections, plateforme {app.platformName()}"
        )
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)

    window.first_painted.connect(painted)
    QTimer.singleShot(30_000, app.quit)  # never hang a smoke test
    window.show()
    app.exec()
    if not outcome["painted"]:
        print("self-check: ÉCHEC — la fenêtre ne s'est pas affichée", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
