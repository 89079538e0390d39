"""The main window: French sections, navigation, About, remembered geometry, self-check."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QRect, Qt

from achatsdesk.ui.main_window import SECTIONS, MainWindow


def test_sections_are_listed_in_french(main_window) -> None:
    titles = [main_window.rail.item(i).text() for i in range(main_window.rail.count())]
    assert titles == ["Dossiers", "Catalogue ESS", "Bibliothèque de clauses", "Indicateurs", "Programme", "Suivi"]
    assert "achatsdesk" in main_window.windowTitle()


def test_navigation_shows_each_section(main_window, qtbot) -> None:
    for section in SECTIONS:
        page = main_window.show_section(section.id)
        assert main_window.stack.currentWidget() is page
        assert main_window.current_section() == section.id
    assert main_window.statusBar().currentMessage()


def test_keyboard_shortcut_switches_section(main_window, qtbot) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_section() == "catalogue"


def test_about_lists_data_sources_and_licences(qtbot) -> None:
    from achatsdesk.ui.dialogs.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.sources.toPlainText()
    for expected in ("CPV", "NAF", "COG 2026", "Licence Ouverte"):
        assert expected in text


def test_geometry_and_section_are_remembered(qtbot, shell_context) -> None:
    first = MainWindow(shell_context)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(QRect(20, 30, 760, 520))
    first.show_section("clauses")
    first.close()

    second = MainWindow(shell_context)
    qtbot.addWidget(second)
    assert second.current_section() == "clauses"
    assert (second.width(), second.height()) == (760, 520)


def test_qt_standard_dialogs_speak_french(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from achatsdesk.app import install_translators

    translators = install_translators(QApplication.instance())
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"
    finally:
        for translator in translators:
            QApplication.instance().removeTranslator(translator)


def test_self_check_starts_the_whole_application(paths, database) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "achatsdesk", "--self-check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-check: OK")
    assert "6 sections" in result.stdout


def test_f1_opens_the_french_help_with_shortcuts(main_window, qtbot, monkeypatch) -> None:
    from achatsdesk.ui.dialogs import help as help_module

    shown = {}
    monkeypatch.setattr(help_module.HelpDialog, "exec", lambda self: shown.setdefault("text", self.text.toPlainText()))
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    assert "Raccourcis clavier" in shown["text"] and "Ctrl+E" in shown["text"]


def test_status_bar_follows_the_page_news(main_window) -> None:
    page = main_window.show_section("dossiers")
    page._relay_status("Dossier exporté dans « x.achatsdesk ».")
    assert main_window.statusBar().currentMessage() == "Dossier exporté dans « x.achatsdesk »."



def test_settings_set_to_what_they_hold_leave_the_file_untouched(paths) -> None:
    from PySide6.QtCore import QByteArray

    from achatsdesk.ui.settings import Settings

    settings = Settings(paths.config)
    settings.set(Settings.window_geometry, QByteArray(b"\x01\x02geometry"))
    settings.set(Settings.current_section, "clauses")
    settings.sync()
    ini = paths.config / "achatsdesk.ini"
    written = ini.read_bytes()
    os.utime(ini, ns=(1_000_000_000, 1_000_000_000))
    again = Settings(paths.config)  # a window closed without moving: the same values again
    again.set(Settings.window_geometry, QByteArray(b"\x01\x02geometry"))
    again.set(Settings.current_section, "clauses")
    again.sync()
    assert ini.stat().st_mtime_ns == 1_000_000_000 and ini.read_bytes() == written  # not rewritten
    again.set(Settings.window_geometry, QByteArray(b"\x01\x02moved"))
    again.set(Settings.current_section, "suivi")
    again.sync()
    third = Settings(paths.config)
    assert third.get(Settings.window_geometry) == QByteArray(b"\x01\x02moved")
    assert third.get(Settings.current_section) == "suivi"
