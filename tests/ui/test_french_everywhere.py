"""French everywhere (issue 12, Done-when 4): a walk over every widget of every page and dialog
fails on visible English words or raw identifiers.

A small dictionary is enough: words a French interface never shows (English UI words,
Qt's own untranslated labels), the ids of the shipped clauses, obligations and checklist
items, version tags such as "v1.0", and "(s)" plurals.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_library import shipped_clauses
from achatsdesk.services.dossier_rules import rule_resources

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"

ENGLISH = set("""
the and with without of file files folder folders cancel open save none error errors expected unexpected template
filters filter show program number exit help name size modified directory statement print settings select search
loading warning money percent hours yes back forward new delete edit view about quit undo redo close apply reset
discard true false null look detail details computer desktop home drive recent untitled
""".split())
_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")
_VERSION = re.compile(r"\bv\d+\.\d+\b")


def _raw_ids() -> set[str]:
    ids = {c.id for c in shipped_clauses()}
    ids |= {i.id for i in rule_resources().checklist.items}
    ids |= {o.id for o in rule_resources().rules.obligations} if hasattr(rule_resources().rules, "obligations") else set()
    return {i for i in ids if "-" in i or "_" in i}  # single words ("lots") are French words too


RAW_IDS = _raw_ids()


@pytest.fixture(autouse=True)
def _qt_in_french(qapp):
    """Qt's own buttons and dialogs in French, as app.py sets them up."""
    from achatsdesk.app import install_translators

    return install_translators(qapp)


def texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything the user can read in this widget and its visible children."""
    found: list[tuple[str, str]] = []
    top = widget.window()

    def add(where: QWidget, text: str) -> None:
        if text and text.strip():
            found.append((f"{type(where).__name__} {where.objectName() or where.accessibleName()}", text))

    for w in [widget, *widget.findChildren(QWidget)]:
        if w is not widget and not w.isVisibleTo(top):
            continue
        if w.isWindow():
            add(w, w.windowTitle())
        add(w, w.toolTip())
        if isinstance(w, QLabel):
            add(w, w.text())
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, w.tabText(i))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column
                columns = 1
            for column in range(columns):
                add(w, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
            for row in range(min(model.rowCount(QModelIndex()), 30)):
                for column in range(columns):
                    add(w, str(model.index(row, column).data() or ""))
        elif isinstance(w, QMenu):
            for action in w.actions():
                add(w, action.text())
    for action in widget.actions():
        add(widget, action.text())
        add(widget, action.toolTip())
    return found


def problems(texts: list[tuple[str, str]]) -> list[str]:
    bad = []
    for where, text in texts:
        plain = unescape(_TAGS.sub(" ", text)).replace("&", "")
        words = {w.lower().strip("'") for w in _WORD.findall(plain)}
        english = sorted(words & ENGLISH)
        ids = sorted(i for i in RAW_IDS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", plain))
        if english or ids or _VERSION.search(plain) or "(s)" in plain:
            bad.append(f"{where}: {plain.strip()[:160]!r} -> {english + ids}")
    return bad


def _assert_french(widget: QWidget) -> None:
    QApplication.processEvents()
    found = problems(texts_of(widget))
    assert not found, "\n".join(found)


def test_the_dictionary_catches_english_and_raw_ids(qtbot):
    label = QLabel("Filtres : money, percent")
    other = QLabel("insertion-heures · v1.0")
    plural = QLabel("3 structure(s)")
    fine = QLabel("Vous pouvez exporter l'annexe du lot n° 2 : 1 600 heures.")
    for w in (label, other, plural, fine):
        qtbot.addWidget(w)
    assert problems(texts_of(label)) and problems(texts_of(other)) and problems(texts_of(plural))
    assert not problems(texts_of(fine))


@pytest.fixture
def full_dossier(database) -> int:
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.lots = [Lot("Collèges de l'est", "90911200-8", 800_000), Lot("Collèges de l'ouest", None, 400_000)]
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {"heures": 2000})]
    return svc.create_dossier(database, dossier)


def test_every_section_speaks_french(qtbot, main_window, full_dossier):
    for section in ("catalogue", "clauses", "indicateurs", "dossiers"):
        main_window.show_section(section)
        _assert_french(main_window)


def test_every_clause_of_the_library_is_shown_in_french(qtbot, main_window):
    page = main_window.show_section("clauses")
    for row in range(page.model.rowCount()):
        page.select_row(row)
        _assert_french(main_window)


def test_the_catalogue_detail_speaks_french(qtbot, main_window):
    page = main_window.show_section("catalogue")
    from PySide6.QtWidgets import QTableView

    table = next(v for v in page.findChildren(QTableView) if v.model() is not None and v.model().rowCount() > 0)
    for row in range(min(table.model().rowCount(), 5)):
        table.selectRow(row)
        _assert_french(main_window)


def test_the_dossier_editor_speaks_french_in_every_step(qtbot, main_window, full_dossier):
    page = main_window.show_section("dossiers")
    for review in (False, True):
        editor = page.open_dossier(full_dossier, review_mode=review)
        for row in range(editor.nav.count()):
            editor.nav.setCurrentRow(row)
            _assert_french(main_window)
        page.close_editor()


def test_every_dialog_speaks_french(qtbot, shell_context, full_dossier):
    from achatsdesk.services.exports import export_warnings
    from achatsdesk.ui.catalogue.import_dialog import ImportAssistant
    from achatsdesk.ui.catalogue.shortlists_dialog import ShortlistsDialog
    from achatsdesk.ui.clauses.edit_dialog import ClauseEditDialog
    from achatsdesk.ui.clauses.settings_dialog import ClauseSettingsDialog
    from achatsdesk.ui.dialogs.about import AboutDialog
    from achatsdesk.ui.dialogs.help import HelpDialog
    from achatsdesk.ui.dossier.export_check_dialog import ExportCheckDialog
    from achatsdesk.ui.dossier.trash_dialog import TrashDialog
    from achatsdesk.ui.widgets.cpv_picker import CpvPickerDialog

    database = shell_context.database
    clause = next(c for c in shipped_clauses() if c.id == "insertion-heures")
    dialogs = [
        HelpDialog(), AboutDialog(), TrashDialog(shell_context), CpvPickerDialog(shell_context.reference),
        ClauseEditDialog(clause), ClauseSettingsDialog(), ShortlistsDialog(shell_context),
        ImportAssistant(shell_context),
        ExportCheckDialog(export_warnings(svc.get_dossier(database, full_dossier).dossier, database)),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        _assert_french(dialog)


def test_qt_file_dialogs_speak_french(qtbot):
    from achatsdesk.ui.widgets.file_dialogs import frenchify

    dialog = frenchify(QFileDialog(None, "Ouvrir un dossier achatsdesk"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # The folder shown is the user's, not our wording: the root, whose path has no words (the
    # working directory's could be anything, such as a checkout named after a branch).
    dialog.setDirectory("/")
    qtbot.addWidget(dialog)
    dialog.show()
    _assert_french(dialog)
