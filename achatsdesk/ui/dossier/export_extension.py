"""Export actions of the dossier editor: the Word annex, the PDF review report, the shortlist XLSX.

One of the editor's parts (built by DossierEditor): toolbar and menu actions (Ctrl+E for
the annex), the same three buttons on the Relecture step, a destination
dialog that remembers the last folder, the writing in the background with a
progress indicator, then "Ouvrir le document" with the system's application.
A document that cannot be written (open in Word, full disk) offers
"Réessayer" once the cause is gone, or another place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.errors import OutputFileError
from achatsdesk.ui import operations
from achatsdesk.ui.errors import user_text
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets import file_dialogs

if TYPE_CHECKING:
    from achatsdesk.ui.dossier.editor import DossierEditor

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str  # the action's text
    suffix: str
    file_filter: str
    default_name: str  # after the dossier's title
    done: str


ANNEX = ExportKind("annex", "Exporter l'annexe Word", ".docx", "Document Word (*.docx)", "annexe clauses", "L'annexe Word est enregistrée.")
REVIEW = ExportKind("review", "Exporter le rapport PDF", ".pdf", "Document PDF (*.pdf)", "rapport de relecture", "Le rapport de relecture est enregistré.")
SHORTLIST = ExportKind("shortlist", "Exporter la liste de fournisseurs (XLSX)", ".xlsx", "Classeur Excel (*.xlsx)",
                       "fournisseurs", "La liste de fournisseurs est enregistrée.")


# --- the dialogs, as functions so that tests can stand in for the user --------------
def choose_destination(parent: QWidget, title: str, start: str, file_filter: str) -> str:
    return file_dialogs.save_file_name(parent, title, start, file_filter)


def choose_template(parent: QWidget, start: str) -> str:
    return file_dialogs.open_file_name(parent, "Modèle Word de votre organisation", start, "Modèle Word (*.docx *.dotx)")


def offer_to_open(parent: QWidget, message: str, path: Path) -> bool:
    box = QMessageBox(QMessageBox.Icon.Information, "Document enregistré", f"{message}\n{path}", parent=parent)
    box.setAccessibleName("Document enregistré")
    open_button = box.addButton("Ouvrir le document", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Fermer", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button


RETRY, ELSEWHERE, CANCEL = "retry", "elsewhere", "cancel"


def offer_retry(parent: QWidget, error: OutputFileError) -> str:
    """The document could not be written (open in Word, full disk...): try again once the
    cause is gone, choose another place, or give up. Returns RETRY, ELSEWHERE or CANCEL."""
    title, message = user_text(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setAccessibleName(title)
    retry = box.addButton("Réessayer", QMessageBox.ButtonRole.AcceptRole)
    elsewhere = box.addButton("Enregistrer ailleurs…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    return RETRY if clicked is retry else ELSEWHERE if clicked is elsewhere else CANCEL


def open_document(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def safe_file_name(title: str, suffix_words: str, suffix: str) -> str:
    """A file name Windows accepts, from the dossier's title: "Nettoyage des collèges - annexe clauses.docx"."""
    base = _UNSAFE.sub(" ", title).strip(" .") or "dossier"
    return f"{' '.join(base.split())[:80]} - {suffix_words}{suffix}"


class ExportActions(QObject):
    """The three exports of one dossier editor."""

    def __init__(self, editor: DossierEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.settings = editor.context.settings
        self.progress: QProgressDialog | None = None
        self.last_output: Path | None = None
        self.last_annex: Path | None = None  # the review names it and compares its clause set
        self.warnings: list[str] = []  # what the last export asked the buyer to note
        self.checked: list = []  # the consistency check shown before the last export
        self.annex_action = self._action(ANNEX, lambda: self.export(ANNEX), QKeySequence("Ctrl+E"))
        self.review_action = self._action(REVIEW, lambda: self.export(REVIEW))
        self.shortlist_action = self._action(SHORTLIST, lambda: self.export(SHORTLIST))
        self.template_action = QAction("Choisir le modèle Word de l'organisation…", editor)
        self.template_action.setToolTip("Le modèle (.docx ou .dotx) donne ses styles, marges et en-tête à l'annexe.")
        self.template_action.triggered.connect(self.pick_template)
        editor.addAction(self.template_action)
        editor.add_step_widget("relecture", self._outputs_box())

    def _action(self, kind: ExportKind, slot: Callable[[], None], keys: QKeySequence | None = None) -> QAction:
        action = QAction(kind.label, self.editor)
        action.setObjectName(f"export-{kind.key}")
        action.setToolTip(kind.label + (f" ({keys.toString(QKeySequence.SequenceFormat.NativeText)})" if keys else ""))
        if keys is not None:
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.editor.add_action(action)
        return action

    def _outputs_box(self) -> QWidget:
        box = QGroupBox("Documents du dossier")
        box.setAccessibleName("Documents du dossier")
        layout = QVBoxLayout(box)
        hint = QLabel("L'annexe Word se colle dans le CCAP et le règlement de la consultation ; "
                      "le rapport PDF est signé par le chef de service.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        # Two columns: the step column is narrow, one row of four buttons would scroll sideways.
        grid = QGridLayout()
        buttons = []
        for action in (self.annex_action, self.review_action, self.shortlist_action):
            button = QPushButton(action.text())
            button.setAccessibleName(action.text())
            button.clicked.connect(action.trigger)
            buttons.append(button)
        template = QPushButton("Modèle Word…")
        template.setAccessibleName("Choisir le modèle Word de l'organisation")
        template.setToolTip(self.template_action.toolTip())
        template.clicked.connect(self.pick_template)
        buttons.append(template)
        from achatsdesk.ui.dossier.piece_audit import (
            ACTION_LABEL,
            FILL_LABEL,
            audit_piece_in_editor,
            fill_model_in_editor,
        )

        fill = QPushButton(FILL_LABEL)
        fill.setObjectName("fill-model")
        fill.setAccessibleName("Remplir votre modèle Word avec le dossier")
        fill.setToolTip("Votre RC, CCAP ou CCTP rempli à ses marqueurs achatsdesk (voir l'aide F1).")
        fill.clicked.connect(lambda: fill_model_in_editor(self.editor, self._start_folder()))
        buttons.append(fill)

        audit = QPushButton(ACTION_LABEL)
        audit.setObjectName("audit-piece")
        audit.setAccessibleName("Vérifier une pièce Word du dossier")
        audit.setToolTip("Dit, pour chaque obligation du dossier, si votre CCAP ou RC contient la clause et où.")
        audit.clicked.connect(lambda: audit_piece_in_editor(self.editor, self._start_folder()))
        buttons.append(audit)
        for index, button in enumerate(buttons):
            grid.addWidget(button, index // 2, index % 2)
        layout.addLayout(grid)
        return box

    # --- the organisation's template ------------------------------------------------
    def template(self) -> Path | None:
        value = self.settings.get(Settings.annex_template)
        path = Path(value) if value else None
        return path if path is not None and path.is_file() else None

    def pick_template(self) -> None:
        current = self.template()
        path = choose_template(self.editor, str(current.parent if current else self._start_folder()))
        if path:
            self.settings.set(Settings.annex_template, path)

    # --- exporting ----------------------------------------------------------------------
    def _start_folder(self) -> Path:
        return file_dialogs.start_folder(self.settings)

    def export(self, kind: ExportKind) -> None:
        from achatsdesk.services.exports import export_refusal

        dossier = self.editor.current_dossier()

        def allowed() -> None:  # the core's rule, as in the CLI; a refusal is worded by the one error path
            refusal = export_refusal(kind.key, dossier, self.editor.shortlist_snapshot())
            if refusal is not None:
                raise refusal

        if not operations.attempt(self.editor.context, self.editor, allowed):
            return
        if kind is not SHORTLIST and not self.check_before_export(dossier):
            return
        start = self._start_folder() / safe_file_name(dossier.title, kind.default_name, kind.suffix)
        chosen = choose_destination(self.editor, kind.label, str(start), kind.file_filter)
        if not chosen:
            return
        target = file_dialogs.with_suffix(chosen, kind.suffix)
        file_dialogs.remember_folder(self.settings, target)
        self.editor.save_now()  # the stored dossier is what gets exported
        self._start(kind, target, dossier)

    def check_before_export(self, dossier) -> bool:
        """The core consistency check, shown in a dialog: True to go on with the export."""
        from achatsdesk.services.exports import export_warnings
        from achatsdesk.ui.dossier import export_check_dialog as check

        self.checked = export_warnings(dossier, self.editor.context.database)
        if not self.checked:
            return True
        choice, warning = check.review_warnings(self.editor, self.checked)
        if choice == check.GO_TO and warning is not None:
            self.go_to(warning)
        return choice == check.EXPORT

    def go_to(self, warning) -> None:
        """Show the step (and the checklist item) a warning is about."""
        editor = self.editor
        steps = [editor.nav.item(row).data(Qt.ItemDataRole.UserRole) for row in range(editor.nav.count())]
        if warning.step in steps:
            editor.nav.setCurrentRow(steps.index(warning.step))
        row = editor.pages[warning.step].rows.get(warning.item) if warning.item and warning.step in editor.pages else None
        if row is not None:
            editor._scrolls[warning.step].ensureWidgetVisible(row)

    def _start(self, kind: ExportKind, target: Path, dossier) -> None:
        from achatsdesk.services import exports

        database = self.editor.context.database
        source = self.editor.dossier_id if self.editor.dossier_id is not None else dossier
        template = self.template()
        self.warnings = []  # filled by the export (background thread), shown with the result

        def work(control):
            if kind is ANNEX:
                return exports.export_annex(source, target, database=database, template=template,
                                            progress=control.progress, warn=self.warnings.append)
            if kind is REVIEW:  # tied to the annex exported in this session, when there is one
                return exports.export_review(source, target, database=database, progress=control.progress,
                                             annex=self.last_annex)
            return exports.export_shortlist(source, target, database=database, progress=control.progress)

        self.progress = QProgressDialog(f"{kind.label}…", "", 0, 3, self.editor)
        self.progress.setWindowTitle("Enregistrement du document")
        self.progress.setAccessibleName("Progression de l'enregistrement")
        self.progress.setCancelButton(None)  # a document is written in a second; a half-cancel would help nobody
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setValue(0)
        operations.run_in_background(self.editor.context, self.editor, work, writes=False,
                                     success=lambda path: self._done(kind, path), progress=self._progressed,
                                     failure=lambda exc: self._failed(exc, kind, target, dossier))

    def _progressed(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            if message:
                self.progress.setLabelText(message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, kind: ExportKind, path: Path) -> None:
        self._close_progress()
        self.last_output = Path(path)
        if kind is ANNEX:
            self.last_annex = self.last_output
        message = kind.done
        shown = {w.message for w in getattr(self, "checked", [])}  # already listed before the export
        left = [w for w in self.warnings if w not in shown]
        if left:
            message += "\n\nAttention :\n" + "\n".join(f"• {w}" for w in left)
        if offer_to_open(self.editor, message, self.last_output):
            open_document(self.last_output)

    def _failed(self, exc: BaseException, kind: ExportKind, target: Path, dossier) -> None:
        self._close_progress()
        if not isinstance(exc, OutputFileError):
            operations.report(self.editor, exc)
            return
        log.warning("Export not written: %s (%s)", exc.message, exc.detail)
        answer = offer_retry(self.editor, exc)
        if answer == RETRY:  # the buyer closed Word, freed some space...
            self._start(kind, target, dossier)
        elif answer == ELSEWHERE:
            self.export(kind)

