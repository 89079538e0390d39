"""Dossiers section: a welcome page when there is none yet, the list with its
filters, and the dossier editor (or its review mode) in place of the list.

Toolbar: Nouveau dossier (Ctrl+N), Dupliquer (Ctrl+D), Importer, Exporter
(.achatsdesk), Envoyer en relecture; in team mode Emporter hors connexion and
Rapporter (offline_actions.py). Every action runs as an operation
(ui/operations.py): imports and exports on the task runner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier_status import STATUS_LABELS, DossierStatus
from achatsdesk.domain.formatting import format_number
from achatsdesk.paths import resources_dir
from achatsdesk.services.dossier_list import quick_list_version, read_quick_list
from achatsdesk.ui import operations
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.dossier.list_model import ID_ROLE, STATUS_COLUMN, DossierListModel
from achatsdesk.ui.dossier.offline_actions import OfflineActions
from achatsdesk.ui.operations import Changes
from achatsdesk.ui.page import Page
from achatsdesk.ui.widgets.row_table import row_table

if TYPE_CHECKING:  # the dossier model is loaded when a dossier is opened, not for the list
    from achatsdesk.domain.dossier import Dossier

EXAMPLE_FILE = "nettoyage-colleges.json"
EXCHANGE_FILTER = "Dossiers achatsdesk (*.achatsdesk)"

# After the award, the dossier's workflow is its execution: no way back to review.
AWARDED = (DossierStatus.ATTRIBUE, DossierStatus.EN_EXECUTION, DossierStatus.CLOS)


def _service():
    """services.dossiers, imported on first use: it brings SQLAlchemy, which a
    quick start keeps off the path to the first paint (the list is read through
    the start-up reader until the ORM database is open)."""
    from achatsdesk.services import dossiers

    return dossiers


def example_path() -> Path:
    shipped = resources_dir() / "examples" / EXAMPLE_FILE
    return shipped if shipped.is_file() else resources_dir().parent / "examples" / EXAMPLE_FILE


class DossiersPage(Page):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAccessibleName("Dossiers")
        self.editor = None
        self.last_import = None
        self._status = ""
        self._trash_emptied = False
        self._quick_read: tuple | None = None  # filters and data version of the last start-up reader's list
        self.stack = QStackedWidget()
        self.welcome = self._build_welcome()
        self.list_view = self._build_list()
        self.editor_host = QWidget()
        self._editor_layout = QVBoxLayout(self.editor_host)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton("← Retour à la liste des dossiers")
        back.setAccessibleName("Retour à la liste des dossiers")
        back.clicked.connect(lambda: self.close_editor())  # clicked(bool) would pass show_list=False
        self.editor_title = QLabel()
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.editor_title, 1)
        self._editor_layout.addLayout(top)
        for widget in (self.welcome, self.list_view, self.editor_host):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._build_actions()
        self.offline = OfflineActions(self)  # Emporter hors connexion, Rapporter (ui/dossier/offline_actions.py)
        self.offline.attach_banner(self.list_view)
        context.dossiers_changed.connect(self._list_changed)
        context.dossier_saved.connect(self._dossier_saved)
        self.refresh_list()

    # --- building -------------------------------------------------------------------
    def _build_welcome(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Bienvenue")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(QLabel("<h2>Bienvenue dans achatsdesk</h2>"))
        intro = QLabel("Décrivez votre consultation une fois : achatsdesk vous indique ce que la loi en vigueur "
                       "à la date de lancement rend obligatoire, ce qui est recommandé, et pourquoi.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.create_button = QPushButton("Créer un dossier")
        self.example_button = QPushButton("Ouvrir l'exemple : nettoyage de collèges (dossier d'exemple, fictif)")
        self.catalogue_button = QPushButton("Parcourir le catalogue")
        for button, slot in ((self.create_button, self.new_dossier), (self.example_button, self.open_example),
                             (self.catalogue_button, self._browse_catalogue)):
            button.setAccessibleName(button.text())
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _=False, s=slot: s())
            layout.addWidget(button)
        layout.addStretch(1)
        return page

    def _build_list(self) -> QWidget:
        page = QWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher un dossier (intitulé, référence, acheteur)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Rechercher un dossier")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filtrer par statut")
        self.status_filter.addItem("Tous les statuts", None)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, status.value)
        self.model = DossierListModel(self)
        self.table = row_table(self.model, "Liste des dossiers")
        # Wide enough for a status with who took the dossier away (« À reprendre · emporté par … »).
        self.table.horizontalHeader().resizeSection(
            STATUS_COLUMN, self.table.fontMetrics().horizontalAdvance("À reprendre · emporté par m.dupont") + 24)
        self.table.doubleClicked.connect(lambda index: self.open_dossier(index.data(ID_ROLE)))
        self.open_button = QPushButton("Ouvrir")
        self.review_button = QPushButton("Relire (chef de service)")
        self.duplicate_button = QPushButton("Dupliquer")
        self.duplicate_button.setToolTip("Un nouveau dossier à partir de celui-ci (renouvellement, achat semblable)")
        self.delete_button = QPushButton("Supprimer…")
        self.trash_button = QPushButton("Corbeille…")
        self.trash_button.setToolTip("Les dossiers supprimés depuis moins de 30 jours, à restaurer")
        for button in (self.open_button, self.review_button, self.duplicate_button, self.delete_button,
                       self.trash_button):
            button.setAccessibleName(button.text())
        self.open_button.clicked.connect(lambda: self._with_selected(self.open_dossier))
        self.review_button.clicked.connect(lambda: self._with_selected(lambda i: self.open_dossier(i, review_mode=True)))
        self.duplicate_button.clicked.connect(lambda: self._with_selected(self.duplicate_dossier))
        self.delete_button.clicked.connect(lambda: self._with_selected(self.delete_dossier))
        self.trash_button.clicked.connect(lambda: self.open_trash())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.trash_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.search.textChanged.connect(lambda _t: self.refresh_list())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_list())
        return page

    def _build_actions(self) -> None:
        self.new_action = QAction("Nouveau dossier", self)
        # Ctrl+N belongs to the window's Fichier menu (ui/file_actions.py): it works from every section.
        self.new_action.setToolTip("Nouveau dossier (Ctrl+N)")
        self.new_action.triggered.connect(lambda: self.new_dossier())
        self.import_action = QAction("Importer…", self)
        self.import_action.triggered.connect(lambda: self.import_file())
        self.export_action = QAction("Exporter (.achatsdesk)…", self)
        self.export_action.triggered.connect(lambda: self.export_current())
        self.duplicate_action = QAction("Dupliquer", self)
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.duplicate_action.triggered.connect(lambda: self._duplicate_current())
        self.send_action = QAction("Envoyer en relecture…", self)
        self.send_action.triggered.connect(lambda: self.send_for_review())
        for action in (self.new_action, self.duplicate_action, self.import_action, self.export_action, self.send_action):
            self.addAction(action)

    def toolbar_actions(self) -> list[QAction]:
        return [self.new_action, self.duplicate_action, self.import_action, self.export_action, self.send_action,
                *self.offline.actions()]

    # --- list -----------------------------------------------------------------------
    def refresh_list(self) -> None:
        status, text = self.status_filter.currentData(), self.search.text()
        reader = None if self.context.has_database else self.context.reader
        if reader is not None:
            # Built, then shown at once: the list just read from the start-up reader is read
            # again only if the filters changed or something else wrote to the database since.
            read = (status, text, quick_list_version(reader))
            if read != self._quick_read:
                self.model.set_rows(read_quick_list(reader, status, text))
                self._quick_read = read
        else:
            self._quick_read = None
            self.model.set_rows(_service().list_dossiers(self.context.database, status, text))
        if reader is None and not self._trash_emptied:  # once, when the database is open
            from achatsdesk.services import trash

            self._trash_emptied = True
            trash.empty_expired(self.context.database)
            self.offline.database_ready()
        if self.editor is None:
            # Unfiltered, the list holds every dossier: empty means there is none yet.
            empty = not self.model.rowCount() and not (text.strip() or status)
            self.stack.setCurrentWidget(self.welcome if empty else self.list_view)

    def _list_changed(self) -> None:
        if self.editor is None:  # with the editor open, the list is read again when it closes
            self.refresh_list()

    def _dossier_saved(self, _dossier_id: int) -> None:
        self._list_changed()

    def _with_selected(self, action) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if indexes:
            action(indexes[0].data(ID_ROLE))

    def selected_id(self) -> int | None:
        if self.editor is not None:
            return self.editor.dossier_id
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ID_ROLE) if indexes else None

    # --- dossiers ---------------------------------------------------------------------
    def new_dossier(self, dossier: Dossier | None = None):
        from achatsdesk.domain.dossier import Dossier

        new = dossier or Dossier("Nouveau dossier")
        dossier_id = operations.run(self.context, self, lambda: _service().create_dossier(self.context.database, new))
        return self.open_dossier(dossier_id) if dossier_id is not None else None

    def open_example(self):
        from achatsdesk.domain.dossier import Dossier

        data = json.loads(example_path().read_text(encoding="utf-8"))
        dossier = Dossier.from_dict(data)
        dossier.title = f"Exemple — {dossier.title}"
        dossier.reference = "EXEMPLE (données fictives)"
        return self.new_dossier(dossier)

    def open_dossier(self, dossier_id: int, review_mode: bool = False):
        from achatsdesk.ui.dossier.editor import DossierEditor

        self.close_editor(show_list=False)
        self.editor = DossierEditor(self.context, dossier_id, review_mode=review_mode)
        self.editor.save_status_changed.connect(self._relay_status)
        self.editor.dossier_changed.connect(lambda d: self.editor_title.setText(self._title_text(d)))
        self.editor.workflow_changed.connect(lambda _s: self._workflow_changed())
        self.editor_title.setText(self._title_text(self.editor.current_dossier()))
        if not review_mode:
            send = QPushButton("Envoyer en relecture…")
            send.setAccessibleName("Envoyer le dossier en relecture (fichier d'échange)")
            send.clicked.connect(lambda: self.send_for_review())
            self.editor.add_step_widget("relecture", send)
        self._editor_layout.addWidget(self.editor, 1)
        self.stack.setCurrentWidget(self.editor_host)
        return self.editor

    def _workflow_changed(self) -> None:
        """A sending or a decision: the header and the list show the new status at once."""
        if self.editor is not None:
            self.editor_title.setText(self._title_text(self.editor.current_dossier()))
        self.refresh_list()

    def _title_text(self, dossier: Dossier) -> str:
        mode = " — relecture" if self.editor is not None and self.editor.review_mode else ""
        return f"<b>{dossier.title or '(sans intitulé)'}</b> · {STATUS_LABELS[dossier.status]}{mode}"

    def close_editor(self, show_list: bool = True) -> None:
        if self.editor is not None:
            self.editor.save_now()
            self.editor.release_lock()
            self.editor.setParent(None)
            self.editor.deleteLater()
            self.editor = None
            self._status = ""
            self.status_changed.emit()
        if show_list:
            self.refresh_list()

    def duplicate_dossier(self, dossier_id: int):
        """Open a new draft made from this dossier; the buyer gives its launch date."""
        if self.editor is not None:
            self.editor.save_now()  # the copy is made of what the buyer sees
        copy_id = operations.run(self.context, self, lambda: _service().duplicate_dossier(self.context.database, dossier_id))
        if copy_id is None:
            return None
        editor = self.open_dossier(copy_id)
        self._relay_status("Copie créée, en brouillon : indiquez sa date de lancement (le droit applicable en dépend) ; "
                           "les réponses de la check-list et la relecture repartent de zéro.")
        return editor

    def _duplicate_current(self) -> None:
        dossier_id = self.selected_id()
        if dossier_id is None:
            self._relay_status("Sélectionnez d'abord un dossier à dupliquer.")
            return
        self.duplicate_dossier(dossier_id)

    def confirm_delete(self, title: str) -> bool:
        """Name the dossier and default to "Non" (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "Supprimer le dossier",
                          f"Mettre le dossier « {title} » à la corbeille ?\n\n"
                          "Vous pourrez le restaurer pendant 30 jours (bouton « Corbeille… »).",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Oui, mettre à la corbeille")
        box.button(QMessageBox.StandardButton.No).setText("Non")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def delete_dossier(self, dossier_id: int) -> None:
        """Move the dossier to the Corbeille, after naming it."""
        from achatsdesk.services import trash

        title = _service().get_dossier(self.context.database, dossier_id).dossier.title
        if not self.confirm_delete(title):
            return
        if self.editor is not None and self.editor.dossier_id == dossier_id:
            self.close_editor(show_list=False)
        if not operations.attempt(self.context, self, lambda: trash.move_to_trash(self.context.database, dossier_id),
                                  changes=Changes(dossiers=True)):
            return
        self.refresh_list()
        self._relay_status(f"Dossier « {title} » mis à la corbeille (restaurable pendant 30 jours).")

    def open_trash(self):
        """The Corbeille dialog; returns it (shown non-modal so that tests can drive it)."""
        from achatsdesk.ui.dossier.trash_dialog import TrashDialog

        dialog = TrashDialog(self.context, self)
        dialog.restored.connect(lambda _id: self.refresh_list())
        dialog.show()
        return dialog

    # --- exchange files -----------------------------------------------------------------
    def _ask_path(self, save: bool, suggested: str = "") -> Path | None:
        from achatsdesk.ui.widgets import file_dialogs

        settings = self.context.settings
        folder = file_dialogs.start_folder(settings)
        if save:
            name = file_dialogs.save_file_name(self, "Exporter le dossier", str(folder / suggested), EXCHANGE_FILTER)
        else:
            name = file_dialogs.open_file_name(self, "Importer un dossier", str(folder), EXCHANGE_FILTER)
        if not name:
            return None
        file_dialogs.remember_folder(settings, name)
        return Path(name)

    def import_file(self, path: Path | None = None) -> None:
        from achatsdesk.services.dossier_exchange import import_dossier
        from achatsdesk.services.review_return import (
            MergeOutcome,
            ReturnPreview,
            apply_return,
            preview_return,
        )

        path = path or self._ask_path(save=False)
        if path is None:
            return
        database = self.context.database

        def done(outcome) -> None:
            self.last_import = outcome
            if outcome is None:
                self._relay_status("Import annulé : aucun dossier n'a été modifié.")
                return
            if isinstance(outcome, MergeOutcome):
                if self.editor is not None and self.editor.dossier_id == outcome.dossier_id:
                    self.open_dossier(outcome.dossier_id, review_mode=self.editor.review_mode)  # show the merged dossier
                self.refresh_list()
                self._relay_status(f"Retour de relecture repris dans « {outcome.title} » : "
                                   f"{STATUS_LABELS[outcome.status]}.")
                return
            self.refresh_list()
            note = (" Un dossier identique existait déjà : il est conservé, l'import est enregistré à côté."
                    if outcome.kept_both else "")
            self._relay_status(f"Dossier « {outcome.title} » importé.{note}")

        def read(_control):
            """In the background: the merge a returned review would make, else the plain import."""
            preview = preview_return(database, path)
            return preview if preview is not None else import_dossier(database, path)

        def read_done(result) -> None:
            if not isinstance(result, ReturnPreview):
                done(result)
                return
            # Asked here, on the window's thread (a dialog never opens from a worker thread).
            if not self.confirm_merge(result):
                done(None)
                return
            operations.run_in_background(self.context, self, lambda _control: apply_return(database, result),
                                         success=done, changes=Changes(dossiers=True))

        operations.run_in_background(self.context, self, read, success=read_done,
                                     label=f"Import de « {path.name} »…", changes=Changes(dossiers=True))

    def confirm_merge(self, preview) -> bool:
        """Show what a returned review changes in the local dossier and ask (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        listed = "\n".join(f"• {line}" for line in preview.lines(self._item_title))
        answer = QMessageBox.question(
            self, "Reprendre le retour de relecture ?",
            f"Ce fichier est le retour de relecture du dossier « {preview.title} », déjà présent ici.\n\n"
            f"Ce qui change :\n{listed}\n\nMettre à jour ce dossier ?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    @staticmethod
    def _item_title(item_id: str) -> str:
        from achatsdesk.services.dossier_rules import rule_resources

        return next((i.title for i in rule_resources().checklist.items if i.id == item_id), item_id)

    def export_current(self, path: Path | None = None) -> None:
        from achatsdesk.services.dossier_exchange import export_dossier

        dossier_id = self.selected_id()
        if dossier_id is None:
            self._relay_status("Sélectionnez d'abord un dossier à exporter.")
            return
        if self.editor is not None:
            self.editor.save_now()
        path = path or self._ask_path(save=True, suggested=f"dossier-{dossier_id}.achatsdesk")
        if path is None:
            return
        database = self.context.database
        operations.run_in_background(self.context, self, lambda _control: export_dossier(database, dossier_id, path),
                                     writes=False, label=f"Export vers « {path.name} »…",
                                     success=lambda target: self._relay_status(f"Dossier exporté dans « {target.name} »."))

    def send_for_review(self, path: Path | None = None) -> None:
        """Mark the dossier "à relire" and write the exchange file to send to the head."""
        dossier_id = self.selected_id()
        if dossier_id is None:
            self._relay_status("Sélectionnez d'abord un dossier à envoyer en relecture.")
            return
        if _service().get_dossier(self.context.database, dossier_id).dossier.status in AWARDED:
            self._relay_status("Ce marché est attribué : il ne repasse pas en relecture (voir son étape Exécution).")
            return
        path = path or self._ask_path(save=True, suggested=f"dossier-{dossier_id}-a-relire.achatsdesk")
        if path is None:
            return
        from achatsdesk.services.review_return import record_sending

        if self.editor is not None:
            self.editor.save_now()
        if not operations.attempt(self.context, self, lambda: record_sending(self.context.database, dossier_id),
                                  changes=Changes(dossier=dossier_id)):  # a round of the history, status "à relire"
            return
        if self.editor is not None:
            self.editor.reload_workflow()
        self.export_current(path)
        self._relay_status(f"Dossier à relire : joignez le fichier « {path.name} » à votre courriel ou copiez-le sur une clé USB.")
        if self.editor is None:
            self.refresh_list()

    # --- shell --------------------------------------------------------------------------
    def _browse_catalogue(self) -> None:
        self.context.section_requested.emit("catalogue")

    def _relay_status(self, text: str) -> None:
        self._status = text
        self.status_changed.emit()

    def status_text(self) -> str:
        if self._status:  # the latest news: a save, an import, an export
            return self._status
        if self.editor is not None:
            return self.editor.save_status.text()
        count = self.model.rowCount()
        return f"{format_number(count)} dossier{'s' if count > 1 else ''}" if count else ""

    def on_shown(self) -> None:
        if self.editor is None:
            self.refresh_list()

    def focus_search(self) -> None:
        if self.editor is None:
            self.search.setFocus()

    def can_close(self) -> bool:
        if self.editor is not None:
            self.editor.save_now()
            self.editor.release_lock(closing=False)  # taken again at the next refresh if the window stays open
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape and self.editor is not None:
            self.close_editor()
            return
        super().keyPressEvent(event)
