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


class DatabaseOpener:
    """Opens the database on a worker thread, started before Qt is even imported.

    Importing SQLAlchemy and checking the schema and reference data overlaps
    with Qt's own start-up (much of it C++ that releases the GIL), so the
    window paints sooner. The GUI thread polls ``done`` and then takes
    ``database`` or ``error``; the engine is thread-safe and its SQLite
    connections are not bound to the thread that made them.
    """

    def __init__(self, paths) -> None:
        import threading

        self._paths = paths
        self.database = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="open-database", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from achatsdesk.services.bootstrap import open_database

            self.database = open_database(self._paths)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI's error path
            self.error = exc
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self) -> None:
        self._done.wait()


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else argv)
    args = _parse(argv)
    if args.qt_probe:
        return _qt_probe()

    from achatsdesk.logging_setup import setup_logging
    from achatsdesk.paths import app_paths

    paths = app_paths().ensure()
    setup_logging(paths.logs, verbose=args.verbose)
    log.info("achatsdesk %s starting", __version__)
    opener = DatabaseOpener(paths)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv[:1])
    app.setApplicationName("achatsdesk")
    app.setApplicationDisplayName("achatsdesk")
    app.setOrganizationName("achatsdesk")
    app.setApplicationVersion(__version__)
    install_translators(app)

    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.errors import install_excepthook
    from achatsdesk.ui.main_window import MainWindow
    from achatsdesk.ui.settings import Settings

    install_excepthook()
    window = MainWindow(ShellContext(paths, None, Settings(paths.config)))
    outcome = {"exit": None}

    def attach_when_open() -> None:
        if not opener.done:
            QTimer.singleShot(10, attach_when_open)
            return
        if opener.error is not None:
            outcome["exit"] = 1
            _refuse_start(window, opener.error, self_check=args.self_check)
            app.quit()
            return
        window.attach_database(opener.database)

    QTimer.singleShot(0, attach_when_open)
    if args.self_check:
        return _self_check(app, window, started, outcome)
    window.show()
    code = app.exec()
    return outcome["exit"] if outcome["exit"] is not None else code


def _refuse_start(window, error: BaseException, *, self_check: bool) -> None:
    from achatsdesk.errors import AchatsdeskError
    from achatsdesk.ui.errors import show_exception, user_text

    if isinstance(error, AchatsdeskError):
        log.error("Start-up refused: %s", error.detail or error.message)
    else:
        log.error("Start-up failed", exc_info=(type(error), error, error.__traceback__))
    if self_check:
        print(f"self-check: ÉCHEC — {user_text(error)[1]}", file=sys.stderr)
        return
    show_exception(window if window.isVisible() else None, error)


def _self_check(app, window, started: float, outcome: dict) -> int:
    """Show the window, wait for its first paint and for the database, then quit."""
    from PySide6.QtCore import QTimer

    times: dict[str, float] = {}

    def finish_if_complete() -> None:
        if "painted" in times and "ready" in times:
            print(
                f"self-check: OK — fenêtre « {window.windowTitle()} » peinte en {times['painted']:.3f} s, "
                f"prête en {times['ready']:.3f} s, {window.rail.count()} sections, "
                f"plateforme {app.platformName()}"
            )
            QTimer.singleShot(0, window.close)
            QTimer.singleShot(0, app.quit)

    def mark(name: str) -> None:
        times.setdefault(name, time.perf_counter() - started)
        finish_if_complete()

    window.first_painted.connect(lambda: mark("painted"))
    window.ready.connect(lambda: mark("ready"))
    QTimer.singleShot(60_000, app.quit)  # never hang a smoke test
    window.show()
    app.exec()
    if outcome["exit"]:
        return outcome["exit"]
    if "painted" not in times or "ready" not in times:
        print("self-check: ÉCHEC — la fenêtre ne s'est pas affichée complètement", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
