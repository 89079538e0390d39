"""Composition root: logging, paths, migration, QApplication, translators, main window.

``achatsdesk --self-check`` starts everything, waits for the main window's
first paint, prints a one-line summary and exits 0 (used by the installer
smoke test and bench/startup.py). When the database must be created or
changed, it also waits for that to finish; at a quick start the first paint
already shows the dossiers, read with plain sqlite3. ``--qt-probe`` only checks that Qt's
platform plugin loads (used by ``achatsdesk-cli doctor``).
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path

from achatsdesk import __version__

log = logging.getLogger("achatsdesk")


class _FrenchHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse API
        return super().add_usage(usage, actions, groups, "utilisation : ")


# The flags a plain start or the smoke test passes (bench/startup.py, the installer) are read without
# building the argparse parser (3 ms of a 0.15 s start); anything else goes through argparse.
_PLAIN_FLAGS = {"--self-check": "self_check", "--until-ready": "until_ready", "--verbose": "verbose"}


def _parse(argv: list[str]) -> argparse.Namespace:
    given = argv[1:]
    if all(arg in _PLAIN_FLAGS for arg in given):
        return argparse.Namespace(files=[], qt_probe=False,
                                  **{dest: flag in given for flag, dest in _PLAIN_FLAGS.items()})
    args, _qt_args = _parser().parse_known_args(given)
    return args


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="achatsdesk", description="achatsdesk, le poste de l'acheteur public.",
                                     add_help=False, formatter_class=_FrenchHelp)
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide puis quitte")
    parser.add_argument("files", nargs="*", metavar="FICHIER.achatsdesk",
                        help="dossier à ouvrir : importé, ou repris dans son dossier s'il revient de relecture")
    parser.add_argument("--self-check", action="store_true", help="démarre, affiche la fenêtre puis quitte")
    parser.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    # With --self-check: also wait for the ORM database after a quick start (bench/startup.py).
    parser.add_argument("--until-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="journal détaillé")
    parser.add_argument("--version", action="version", version=f"achatsdesk {__version__}",
                        help="affiche le numéro de version puis quitte")
    # French headings without importing the CLI package (it brings SQLAlchemy, too slow for start-up).
    parser._positionals.title, parser._optionals.title = "arguments", "options"
    return parser


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
    # No cyclic garbage collection until the first paint: start-up creates tens of thousands of
    # long-lived objects (modules, Qt types and enums) and almost no garbage, and every collection
    # would walk them all. At the first paint they are frozen (``_settle_memory``): later
    # collections, and the one at exit, no longer walk them either.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv, started, collecting)
    finally:
        if collecting:
            gc.enable()


def _settle_memory(collecting: bool) -> None:
    """At the first paint: what start-up built lives as long as the process (gc.freeze), collection resumes."""
    gc.freeze()
    if collecting:
        gc.enable()


def _run(argv: list[str] | None, started: float, collecting: bool) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = _parse(argv)
    if args.qt_probe:
        return _qt_probe()

    from achatsdesk.logging_setup import setup_logging
    from achatsdesk.paths import app_paths
    from achatsdesk.private_files import restrict_umask
    from achatsdesk.services.bootstrap import DatabaseOpener, open_quick_reader

    restrict_umask()  # the database, backups, logs and exports are the user's alone (0600/0700)
    paths = app_paths().ensure()
    setup_logging(paths.logs, verbose=args.verbose, rotate_later=True)  # rotating after the first paint
    log.info("achatsdesk %s starting", __version__)
    instance = None
    if not args.self_check:  # the smoke test may run beside an open achatsdesk: it changes nothing
        from achatsdesk.ui.single_instance import SingleInstance

        instance = SingleInstance(paths.data)
        if not instance.acquire():  # before anything opens the database
            return _defer_to_running(instance, argv, args.files)
    # Quick start when the database needs no change: the dossiers are listed
    # through plain sqlite3 and the ORM is opened after the first paint.
    # Otherwise (first start, migration, new shipped data) the full open starts
    # now, on a worker thread, and overlaps with Qt's own start-up.
    reader = open_quick_reader(paths)
    opener = DatabaseOpener(paths)
    if reader is None:
        opener.start()

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
    settings = Settings(paths.config)
    _remove_stale_temporaries(paths, settings)
    window = MainWindow(ShellContext(paths, None, settings, opener=opener, reader=reader))
    outcome = {"exit": None}

    def refuse(error: BaseException) -> None:
        outcome["exit"] = 1
        _refuse_start(window, error, self_check=args.self_check, paths=paths)
        app.quit()

    window.database_failed.connect(refuse)
    window.first_painted.connect(lambda: _settle_memory(collecting))
    if not args.self_check or args.until_ready:
        # After the first paint, as soon as the loop is idle: the wheel guard (a field the user has not
        # clicked never takes the wheel; it sees every event of the application, in Python, so not
        # before the paint: no wheel reaches a window not yet shown), the log's rotating handler
        # (logging_setup.py) and the ORM database.
        window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: _after_first_paint(app, window)))
    if args.self_check:
        code = _self_check(app, window, started, outcome, wait_for_database=reader is None or args.until_ready)
    else:
        instance.activation_requested.connect(window.bring_to_front)
        instance.files_requested.connect(lambda names: [window.file_actions.open_path(Path(n)) for n in names])
        window.first_painted.connect(lambda: QTimer.singleShot(0, instance.listen))
        _open_files_at_start(window, args.files)
        window.show()
        code = app.exec()
    window.context.tasks.wait()  # never cut an import short at exit
    opener.finish()  # never cut a migration short at exit
    if not args.self_check and outcome["exit"] is None:
        _daily_backup(paths, opener, window.context.settings)
    if instance is not None:
        instance.release()
    return outcome["exit"] if outcome["exit"] is not None else code


def _after_first_paint(app, window) -> None:
    from achatsdesk.logging_setup import rotate_from_now
    from achatsdesk.ui.widgets.wheel_guard import install_wheel_guard

    install_wheel_guard(app)
    rotate_from_now()
    window.open_database()


def _open_files_at_start(window, files: list[str]) -> None:
    """``achatsdesk FICHIER.achatsdesk`` (a double-click on the file): import or merge it once the window is up."""
    from pathlib import Path

    from PySide6.QtCore import QTimer

    for name in files:
        QTimer.singleShot(0, lambda path=Path(name): window.file_actions.open_path(path))


def _remove_stale_temporaries(paths, settings) -> None:
    """What a killed export or backup left (``.~achatsdesk-*.tmp``): in our folders and the last export folder."""
    from pathlib import Path

    from achatsdesk.private_files import remove_stale_temporaries
    from achatsdesk.ui.settings import Settings

    last = settings.get(Settings.last_folder)
    remove_stale_temporaries([paths.data, paths.backups, *([Path(last)] if last else [])])


def _daily_backup(paths, opener, settings) -> None:
    """On close, at most once a day: a copy of a database that opened (and so passed its check)."""
    from achatsdesk.services.recovery import backup_on_close
    from achatsdesk.ui.settings import Settings

    if not opener.done or opener.error is not None:
        return
    try:
        backup_on_close(paths, keep_days=settings.get(Settings.backup_keep_days))
    except Exception:  # noqa: BLE001 - a failed backup must not turn a clean exit into a crash
        log.exception("Daily backup failed")


def _defer_to_running(instance, argv: list[str], files: list[str] = ()) -> int:
    """achatsdesk already runs on these data: bring its window forward rather than open a second one."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(argv[:1])
    pid = instance.holder_pid()
    if instance.ask_running_to_activate(files=files):  # a double-clicked file opens in the running window
        log.info("achatsdesk already runs (process %s): its window was brought to the front", pid)
        return 0
    log.warning("achatsdesk already runs (process %s) but does not answer", pid)
    install_translators(app)
    QMessageBox.warning(
        None, "achatsdesk est déjà ouvert",
        f"achatsdesk est déjà ouvert sur cet ordinateur (processus {pid}) mais ne répond pas.\n\n"
        "Attendez quelques instants ou fermez-le, puis relancez achatsdesk. "
        "Une seule fenêtre travaille sur vos dossiers, pour qu'aucune modification n'en écrase une autre.",
    )
    return 1


def _refuse_start(window, error: BaseException, *, self_check: bool, paths=None) -> None:
    from achatsdesk.errors import AchatsdeskError, RecoverableDatabaseError
    from achatsdesk.ui.errors import show_exception, user_text

    if isinstance(error, AchatsdeskError):
        log.error("Start-up refused: %s", error.detail or error.message)
    else:
        log.error("Start-up failed", exc_info=(type(error), error, error.__traceback__))
    if self_check:
        print(f"self-check: ÉCHEC — {user_text(error)[1]}", file=sys.stderr)
        return
    parent = window if window.isVisible() else None
    if isinstance(error, RecoverableDatabaseError) and paths is not None:
        from achatsdesk.ui.dialogs.recovery import offer_restore

        offer_restore(parent, error, paths)
        return
    show_exception(parent, error)


def _self_check(app, window, started: float, outcome: dict, *, wait_for_database: bool) -> int:
    """Show the window, wait for its first paint (and for the ORM database when
    it is being opened or asked for), print one line, then quit."""
    from PySide6.QtCore import QTimer

    times: dict[str, float] = {}
    needed = ("painted", "ready") if wait_for_database else ("painted",)

    def finish_if_complete() -> None:
        if all(name in times for name in needed):
            print(f"self-check: OK — fenêtre « {window.windowTitle()} » peinte en {times['painted']:.3f} s, "
                  f"{_database_line(window, times)}, {window.rail.count()} sections, plateforme {app.platformName()}")
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
    if not all(name in times for name in needed):
        print("self-check: ÉCHEC — la fenêtre ne s'est pas affichée complètement", file=sys.stderr)
        return 1
    return 0


def _database_line(window, times: dict[str, float]) -> str:
    if "ready" in times:
        return f"prête en {times['ready']:.3f} s"
    listed = window.page("dossiers").model.rowCount()
    return f"démarrage rapide (base à jour, {listed} dossier{'s' if listed > 1 else ''} listé{'s' if listed > 1 else ''})"


if __name__ == "__main__":
    raise SystemExit(main())
