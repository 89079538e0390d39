"""Export actions of the dossier editor: destination remembered, background writing, "Ouvrir le document"."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtGui import QKeySequence

from achatsdesk.domain.dossier import ClauseSelection, Dossier
from achatsdesk.errors import NotFoundError, OutputFileError
from achatsdesk.services import dossiers as svc
from achatsdesk.ui.dossier import export_extension
from achatsdesk.ui.settings import Settings
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


@pytest.fixture
def make_editor(qtbot, shell_context, database):
    from achatsdesk.ui.dossier.editor import DossierEditor

    def build(with_clauses: bool = True):
        dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
        dossier.reference = "EX-UI-1"
        if with_clauses:
            dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {}),
                               ClauseSelection("critere-environnemental", "1.0", {})]
        widget = DossierEditor(shell_context, svc.create_dossier(database, dossier))
        qtbot.addWidget(widget)
        widget.show()
        return widget

    return build


@pytest.fixture
def editor(make_editor):
    return make_editor()


@pytest.fixture
def user(monkeypatch, tmp_path: Path):
    """Stands in for the user: answers the dialogs and records what was offered."""

    class User:
        folder = tmp_path / "exports"
        starts: list[str] = []
        opened: list[Path] = []
        errors: list[BaseException] = []
        open_after = True
        retry_answers: list[str] = []  # what the buyer clicks when a document cannot be written

    User.folder.mkdir()

    def destination(parent, title, start, file_filter):
        User.starts.append(start)
        return str(User.folder / Path(start).name)

    monkeypatch.setattr(export_extension, "choose_destination", destination)
    monkeypatch.setattr(export_extension, "offer_to_open", lambda parent, message, path: User.open_after)
    monkeypatch.setattr(export_extension, "open_document", lambda path: User.opened.append(path) or True)
    monkeypatch.setattr("achatsdesk.ui.errors.show_exception", lambda parent, exc: User.errors.append(exc))  # the one error path

    def offer_retry(parent, exc):
        User.errors.append(exc)
        return User.retry_answers.pop(0) if User.retry_answers else export_extension.CANCEL

    monkeypatch.setattr(export_extension, "offer_retry", offer_retry)
    from achatsdesk.ui.dossier import export_check_dialog

    User.checks = []  # the consistency checks shown before an export: the user exports anyway
    monkeypatch.setattr(export_check_dialog, "review_warnings",
                        lambda parent, warnings: User.checks.append(warnings) or (export_check_dialog.EXPORT, None))
    return User


def test_actions_are_in_the_toolbar_with_ctrl_e(editor):
    actions = editor.export_actions
    labels = [a.text() for a in editor.toolbar.actions()]
    for action in (actions.annex_action, actions.review_action, actions.shortlist_action):
        assert action.text() in labels
    assert actions.annex_action.shortcut() == QKeySequence("Ctrl+E")


def test_annex_export_writes_offers_to_open_and_remembers_the_folder(editor, user, shell_context):
    editor.export_actions.annex_action.trigger()
    written = user.folder / "Nettoyage des collèges - annexe clauses.docx"
    assert user.errors == [] and written.exists()
    assert any(p.text.startswith("Article 1 – ") for p in Document(str(written)).paragraphs)
    assert user.opened == [written]
    assert shell_context.settings.get(Settings.last_folder) == str(user.folder)
    assert editor.export_actions.progress is None  # the progress indicator is gone

    user.open_after = False
    editor.export_actions.review_action.trigger()
    assert Path(user.starts[-1]).parent == user.folder  # the next dialog starts in the last folder
    assert (user.folder / "Nettoyage des collèges - rapport de relecture.pdf").read_bytes().startswith(b"%PDF")
    assert len(user.opened) == 1


def test_progress_is_reported(editor, user, monkeypatch):
    seen = []
    original = export_extension.ExportActions._progressed

    def spy(self, done, total, message):
        seen.append((done, total, message))
        original(self, done, total, message)

    monkeypatch.setattr(export_extension.ExportActions, "_progressed", spy)
    editor.export_actions.review_action.trigger()
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == 3
    assert all(message for _, _, message in seen)


def test_shortlist_without_list_says_what_to_do(editor, user):
    editor.export_actions.shortlist_action.trigger()
    assert len(user.errors) == 1 and isinstance(user.errors[0], NotFoundError)
    assert "Catalogue ESS" in user.errors[0].user_message
    assert user.starts == []  # no file dialog for nothing


def test_annex_without_clauses_says_what_to_do(make_editor, user, monkeypatch):
    """The core's rule, as on the command line: the annex is written, and the buyer is told it is empty."""
    offered = []
    monkeypatch.setattr(export_extension, "offer_to_open", lambda parent, message, path: offered.append(message) or False)
    editor = make_editor(with_clauses=False)
    editor.export_actions.annex_action.trigger()
    assert user.errors == [] and len(offered) == 1
    assert "Attention" in offered[0] and "Aucune clause n'est retenue" in offered[0] and "Ajoutez des clauses" in offered[0]


def test_a_received_dossier_with_only_a_snapshot_exports_its_list(qtbot, shell_context, database, user):
    """The shortlist that came with an imported dossier exports from the window as from the CLI."""
    from openpyxl import load_workbook

    from achatsdesk.services.dossier_exchange import export_dossier, import_dossier
    from achatsdesk.services.exports import export_refusal
    from achatsdesk.ui.dossier.editor import DossierEditor

    snapshot = {"name": "Liste reçue (fictive)", "suppliers": [
        {"name": "Structure reçue (fictive)", "siret": "", "kind": "EI", "commune": "Cergy", "postcode": "95000"}]}
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    with database.unit_of_work() as session:
        sent_id = svc.insert_dossier(session, dossier, snapshot)
    received = import_dossier(database, export_dossier(database, sent_id, user.folder.parent / "envoi"))
    stored = svc.get_dossier(database, received.dossier_id)
    assert stored.dossier.shortlist_id is None and stored.shortlist_snapshot == snapshot
    assert export_refusal("shortlist", stored.dossier, stored.shortlist_snapshot) is None
    assert export_refusal("shortlist", stored.dossier, None) is not None  # no list at all: refused in both shells
    editor = DossierEditor(shell_context, received.dossier_id)
    qtbot.addWidget(editor)
    editor.export_actions.shortlist_action.trigger()
    assert user.errors == []
    written = next(p for p in user.folder.iterdir() if p.suffix == ".xlsx")
    cells = [c.value for row in load_workbook(written).active.iter_rows() for c in row]
    assert "Structure reçue (fictive)" in cells


def test_locked_file_keeps_the_earlier_version(editor, user, monkeypatch):
    earlier = user.folder / "Nettoyage des collèges - annexe clauses.docx"
    earlier.write_bytes(b"earlier")
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(PermissionError(13, "in use")))
    editor.export_actions.annex_action.trigger()
    assert len(user.errors) == 1 and isinstance(user.errors[0], OutputFileError)
    assert "Fermez-le" in user.errors[0].user_message
    assert earlier.read_bytes() == b"earlier" and user.opened == []
    assert [p.name for p in user.folder.iterdir()] == [earlier.name]


def test_a_locked_file_can_be_retried_once_closed(editor, user, monkeypatch):
    earlier = user.folder / "Nettoyage des collèges - annexe clauses.docx"
    earlier.write_bytes(b"earlier")
    real_replace = os.replace

    def word_holds_it(src, dst):
        monkeypatch.setattr(os, "replace", real_replace)  # the buyer closes Word before clicking "Réessayer"
        raise PermissionError(13, "in use")

    monkeypatch.setattr(os, "replace", word_holds_it)
    user.retry_answers = [export_extension.RETRY]
    editor.export_actions.annex_action.trigger()
    assert len(user.errors) == 1 and "Fermez-le" in user.errors[0].user_message
    assert earlier.read_bytes().startswith(b"PK")  # the new annex, a real .docx, replaced it
    assert user.opened == [earlier] and len(user.starts) == 1  # not asked again where to save


def test_a_document_that_cannot_be_written_can_go_elsewhere(editor, user, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    user.retry_answers = [export_extension.ELSEWHERE, export_extension.CANCEL]
    editor.export_actions.annex_action.trigger()
    assert [type(e) for e in user.errors] == [OutputFileError, OutputFileError]
    assert "disque est plein" in user.errors[0].user_message
    assert len(user.starts) == 2  # asked again where to save, then the buyer gave up
    assert list(user.folder.iterdir()) == []  # no partial file


def test_organisation_template_is_used(editor, user, monkeypatch, tmp_path: Path):
    template = tmp_path / "modele.docx"
    base = Document()
    base.sections[0].header.paragraphs[0].text = "ORGANISATION D'EXEMPLE (modèle générique)"
    base.save(str(template))
    monkeypatch.setattr(export_extension, "choose_template", lambda parent, start: str(template))
    editor.export_actions.pick_template()
    editor.export_actions.annex_action.trigger()
    written = Document(str(user.folder / "Nettoyage des collèges - annexe clauses.docx"))
    header = "\n".join(p.text for p in written.sections[0].header.paragraphs)
    assert "ORGANISATION D'EXEMPLE" in header and "EX-UI-1" in header


def test_safe_file_name():
    assert export_extension.safe_file_name('Achat "écrans" / lot 1: PC?', "annexe", ".docx") == "Achat écrans lot 1 PC - annexe.docx"
    assert export_extension.safe_file_name("...", "x", ".pdf") == "dossier - x.pdf"


def test_annex_with_an_empty_part_says_so_with_the_result(qtbot, shell_context, database, user, monkeypatch):
    from achatsdesk.ui.dossier.editor import DossierEditor

    offered = []
    monkeypatch.setattr(export_extension, "offer_to_open", lambda parent, message, path: offered.append(message) or False)
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {})]  # no award criterion: the RC extract is empty
    editor = DossierEditor(shell_context, svc.create_dossier(database, dossier))
    qtbot.addWidget(editor)
    editor.export_actions.annex_action.trigger()
    assert user.errors == [] and len(offered) == 1
    assert offered[0].startswith("L'annexe Word est enregistrée.") and "Attention" in offered[0]
    assert "Extrait du règlement de la consultation" in offered[0] and "ne contient aucune clause" in offered[0]


def test_verifier_une_piece_reports_each_obligation(editor, qtbot, monkeypatch, database, tmp_path: Path):
    """Relecture step: "Vérifier une pièce…" audits the buyer's CCAP on the task runner."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from achatsdesk.services.exports import export_annex
    from achatsdesk.ui.dossier import piece_audit

    annex = export_annex(editor.dossier_id, tmp_path / "annexe.docx", database=database)
    monkeypatch.setattr(piece_audit, "choose_piece", lambda parent, start: str(annex))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    button = editor.findChild(QPushButton, "audit-piece")
    assert button is not None and button.text() == "Vérifier une pièce…"
    button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "annexe.docx" in shown[0] and "Condition d'exécution sociale" in shown[0]
    assert "trouvée au §" in shown[0] and "absente" in shown[0]  # the environmental condition was not chosen


def test_remplir_mon_modele_fills_the_shipped_sample(editor, qtbot, monkeypatch, tmp_path: Path):
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from achatsdesk.paths import resources_dir
    from achatsdesk.ui.dossier import piece_audit

    target = tmp_path / "ccap rempli.docx"
    monkeypatch.setattr(piece_audit, "choose_model", lambda parent, start: str(resources_dir() / "templates" / "modele-ccap.docx"))
    monkeypatch.setattr(piece_audit, "choose_piece_destination", lambda parent, start: str(target))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    editor.findChild(QPushButton, "fill-model").click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert target.exists() and re.search(r"\(\d+ articles? insérés?\)", shown[0])
    texts = [p.text for p in Document(str(target)).paragraphs]
    assert any(t.startswith("Article 4 – Clause d'insertion") for t in texts)  # the dossier's chosen clause, numbered on
    assert "criteres_rc" in shown[0]  # the chosen criterion has no marker in a CCAP model: said so
