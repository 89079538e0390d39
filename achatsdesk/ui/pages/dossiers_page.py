"""Dossiers section: a welcome page when there is none yet, the list with its
filters, and the dossier editor (or its review mode) in place of the list.

Toolbar: Nouveau dossier (Ctrl+N), Dupliquer (Ctrl+D), Importer, Exporter
(.achatsdesk), Envoyer en relecture. Imports and exports run through run_task.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier_status import STATUS_LABELS, DossierStatus
from achatsdesk.domain.formatting import format_number
from achatsdesk.paths import resources_dir
from achatsdesk.storage import dossier_summaries
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.dossier.list_model import ID_ROLE, DossierListModel
from achatsdesk.ui.errors import show_exception
from achatsdesk.ui.pages.base import Page
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.tasks import run_task
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
        self.stack = QStackedWidget()
        self.welcome = self._build_welcome()
        self.list_view = self._build_list()
        self.editor_host = QWidget()
        self._editor_layout = QVBoxLayout(self.editor_host)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton("← Retour à la liste des dossiers")
        back.setAccessibleName("Retour à la liste des dossiers")
        back.clicked.connect(self.close_editor)
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
        self.table.doubleClicked.connect(lambda index: self.open_dossier(index.data(ID_ROLE)))
        self.open_button = QPushButton("Ouvrir")
        self.review_button = QPushButton("Relire (chef de service)")
        self.duplicate_button = QPushButton("Dupliquer")
        self.duplicate_button.setToolTip("Un nouveau dossier à partir de celui-ci (renouvellement, achat semblable)")
        self.delete_button = QPushButton("Supprimer")
        for button in (self.open_button, self.review_button, self.duplicate_button, self.delete_button):
            button.setAccessibleName(button.text())
        self.open_button.clicked.connect(lambda: self._with_selected(self.open_dossier))
        self.review_button.clicked.connect(lambda: self._with_selected(lambda i: self.open_dossier(i, review_mode=True)))
        self.duplicate_button.clicked.connect(lambda: self._with_selected(self.duplicate_dossier))
        self.delete_button.clicked.connect(lambda: self._with_selected(self.delete_dossier))
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.duplicate_button)
        buttons.addStretch(1)
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
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
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
        return [self.new_action, self.duplicate_action, self.import_action, self.export_action, self.send_action]

    # --- list -----------------------------------------------------------------------
    def refresh_list(self) -> None:
        status, text = self.status_filter.currentData(), self.search.text()
        reader = None if self.context.has_database else self.context.reader
        if reader is not None:
            rows = dossier_summaries.read_summaries(reader, status, text)
        else:
            rows = _service().list_dossiers(self.context.database, status, text)
        self.model.set_rows(rows)
        if self.editor is None:
            # Unfiltered, the list holds every dossier: empty means there is none yet.
            empty = not rows and not (text.strip() or status)
            self.stack.setCurrentWidget(self.welcome if empty else self.list_view)

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

        dossier_id = _service().create_dossier(self.context.database, dossier or Dossier("Nouveau dossier"))
        return self.open_dossier(dossier_id)

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
        self.editor_title.setText(self._title_text(self.editor.current_dossier()))
        if not review_mode:
            send = QPushButton("Envoyer en relecture…")
            send.setAccessibleName("Envoyer le dossier en relecture (fichier d'échange)")
            send.clicked.connect(lambda: self.send_for_review())
            self.editor.add_step_widget("relecture", send)
        self._editor_layout.addWidget(self.editor, 1)
        self.stack.setCurrentWidget(self.editor_host)
        return self.editor

    def _title_text(self, dossier: Dossier) -> str:
        mode = " — relecture" if self.editor is not None and self.editor.review_mode else ""
        return f"<b>{dossier.title or '(sans intitulé)'}</b> · {STATUS_LABELS[dossier.status]}{mode}"

    def close_editor(self, show_list: bool = True) -> None:
        if self.editor is not None:
            self.editor.save_now()
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
        copy_id = _service().duplicate_dossier(self.context.database, dossier_id)
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

    def delete_dossier(self, dossier_id: int) -> None:
        answer = QMessageBox.question(self, "Supprimer le dossier",
                                      "Supprimer définitivement ce dossier, sa check-list et son historique de relecture ?")
        if answer == QMessageBox.StandardButton.Yes:
            _service().delete_dossier(self.context.database, dossier_id)
            self.refresh_list()

    # --- exchange files -----------------------------------------------------------------
    def _ask_path(self, save: bool, suggested: str = "") -> Path | None:
        folder = self.context.settings.get(Settings.last_folder) or str(Path.home())
        if save:
            name, _ = QFileDialog.getSaveFileName(self, "Exporter le dossier", str(Path(folder) / suggested), EXCHANGE_FILTER)
        else:
            name, _ = QFileDialog.getOpenFileName(self, "Importer un dossier", folder, EXCHANGE_FILTER)
        if not name:
            return None
        self.context.settings.set(Settings.last_folder, str(Path(name).parent))
        return Path(name)

    def import_file(self, path: Path | None = None) -> None:
        from achatsdesk.services.dossier_exchange import import_dossier

        path = path or self._ask_path(save=False)
        if path is None:
            return
        database = self.context.database

        def done(outcome) -> None:
            self.refresh_list()
            note = (" Un dossier identique existait déjà : il est conservé, l'import est enregistré à côté."
                    if outcome.kept_both else "")
            self._relay_status(f"Dossier « {outcome.title} » importé.{note}")
            self.last_import = outcome

        run_task(lambda _control: import_dossier(database, path), on_done=done, on_error=lambda e: show_exception(self, e))

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
        run_task(lambda _control: export_dossier(database, dossier_id, path),
                 on_done=lambda target: self._relay_status(f"Dossier exporté dans « {target.name} »."),
                 on_error=lambda e: show_exception(self, e))

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
        if self.editor is not None:
            self.editor.set_status(DossierStatus.A_RELIRE)
        else:
            _service().set_status(self.context.database, dossier_id, DossierStatus.A_RELIRE.value)
        self.export_current(path)
        self._relay_status(f"Dossier à relire : joignez le fichier « {path.name} » à votre courriel ou copiez-le sur une clé USB.")
        if self.editor is None:
            self.refresh_list()

    # --- shell --------------------------------------------------------------------------
    def _browse_catalogue(self) -> None:
        window = self.window()
        if hasattr(window, "show_section"):
            window.show_section("catalogue")

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
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape and self.editor is not None:
            self.close_editor()
            return
        super().keyPressEvent(event)
