"""The Dossiers page's offline actions: "Emporter hors connexion" and "Rapporter".

Plugged into the page (ui/dossier/dossiers_page.py) by a few lines. In team mode
the selected dossiers are taken away into the local file; "Rapporter" sends
back every dossier taken away from this server, and asks through the
side-by-side dialog (merge_dialog.py) for each one a colleague changed
meanwhile. Alone, or offline, the actions are hidden; offline, a banner says
that the server could not be reached and on how many dossiers the buyer works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from achatsdesk.domain.plural import count_of
from achatsdesk.ui import operations
from achatsdesk.ui.dossier.list_model import ID_ROLE
from achatsdesk.ui.operations import Changes

if TYPE_CHECKING:  # loaded on first use: the quick start's first paint does without SQLAlchemy
    from achatsdesk.services import offline
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage
    from achatsdesk.ui.dossier.merge_dialog import MergeDialog


def _service():
    from achatsdesk.services import offline

    return offline


class OfflineActions(QObject):
    def __init__(self, page: DossiersPage) -> None:
        super().__init__(page)
        self.page = page
        self.context = page.context
        self.take_action = QAction("Emporter hors connexion", page)
        self.take_action.setToolTip("Copier les dossiers sélectionnés sur ce poste pour les modifier sans le serveur ; "
                                    "vos collègues voient qu'ils sont emportés.")
        self.take_action.triggered.connect(lambda: self.take_away_selected())
        self.bring_action = QAction("Rapporter", page)
        self.bring_action.setToolTip("Renvoyer sur le serveur les dossiers emportés hors connexion sur ce poste.")
        self.bring_action.triggered.connect(lambda: self.bring_back_all())
        for action in self.actions():
            action.setVisible(False)  # until the database is open and known to be the team's
        self.banner = QLabel()
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Travail hors connexion")
        self.banner.setStyleSheet("QLabel#offlineBanner { background: #fff4ce; padding: 6px; }")
        self.banner.hide()

    def actions(self) -> list[QAction]:
        return [self.take_action, self.bring_action]

    def attach_banner(self, parent: QWidget) -> None:
        layout = parent.layout()
        if layout is not None:
            layout.insertWidget(0, self.banner)  # type: ignore[attr-defined]

    def database_ready(self) -> None:
        """The database is open: the actions in team mode; the notice when working offline."""
        team = self.context.database.is_team
        for action in self.actions():
            action.setVisible(team)
        if team:  # several dossiers may be taken away at once; a selected one says if it is taken
            self.page.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            self.page.table.selectionModel().selectionChanged.connect(lambda *_: self.say_taken_mark())
        opener = self.context.opener
        notice = getattr(opener, "notice", None) if opener is not None else None
        if notice:
            self.banner.setText(notice)
            self.banner.show()

    def say_taken_mark(self) -> str | None:
        """The selected dossier is taken away (by a colleague, or on this workstation): the status line says so."""
        ids = [index.data(ID_ROLE) for index in self.page.table.selectionModel().selectedRows()]
        if len(ids) != 1:
            return None
        database = self.context.database
        mark = operations.run(self.context, self.page, lambda: _service().taken_mark(database, ids[0]))
        if mark:
            self.page._relay_status(mark)
        return mark

    # --- taking away ---------------------------------------------------------------------
    def _selected_ids(self) -> list[int]:
        if self.page.editor is not None:
            return [self.page.editor.dossier_id]
        return [index.data(ID_ROLE) for index in self.page.table.selectionModel().selectedRows()]

    def take_away_selected(self) -> list[offline.TakenDossier] | None:
        ids = self._selected_ids()
        if not ids:
            self.page._relay_status("Sélectionnez d'abord les dossiers à emporter hors connexion.")
            return None
        if self.page.editor is not None:
            self.page.editor.save_now()  # what is taken away is what the buyer sees
        database = self.context.database
        taken = operations.run(self.context, self.page, lambda: _service().take_away(database, ids),
                               changes=Changes(dossiers=True))
        if taken:
            names = ", ".join(f"« {t.title} »" for t in taken)
            self.page._relay_status(f"{count_of(len(taken), 'dossier')} emporté{'s' if len(taken) > 1 else ''} "
                                    f"hors connexion ({names}) : sans le serveur, achatsdesk les ouvre depuis ce poste.")
        return taken

    # --- bringing back -----------------------------------------------------------------------
    def bring_back_all(self) -> list[str]:
        """Bring back every dossier taken away from this server; the French line said for each."""
        database = self.context.database
        taken = operations.run(self.context, self.page, lambda: _service().taken_dossiers(database))
        if taken is None:
            return []
        taken = [t for t in taken if t.server_label == database.label]
        if not taken:
            self.page._relay_status("Aucun dossier emporté hors connexion depuis ce serveur n'est à rapporter.")
            return []
        said = [self.bring_back(t) for t in taken]
        self.page._relay_status(" ".join(said))
        return said

    def bring_back(self, taken: offline.TakenDossier) -> str:
        database = self.context.database
        outcome = operations.run(self.context, self.page, lambda: _service().bring_back(database, taken.local_id),
                                 changes=Changes(dossiers=True))
        if outcome is None:
            return f"« {taken.title} » n'a pas été rapporté : il reste sur ce poste."
        if outcome.brought_back:
            return f"« {outcome.title} » rapporté sur le serveur."
        from achatsdesk.ui.dossier.merge_dialog import APPLY, KEEP_BOTH

        dialog = self.ask_merge(outcome)
        if dialog.decision == APPLY:
            choices = dialog.choices()
            done = operations.run(self.context, self.page,
                                  lambda: _service().resolve(database, taken.local_id, choices, outcome.server_revision),
                                  changes=Changes(dossiers=True))
            return (f"« {done.title} » rapporté avec vos choix." if done is not None
                    else f"« {taken.title} » n'a pas été rapporté : il reste sur ce poste.")
        if dialog.decision == KEEP_BOTH:
            copy_id = operations.run(self.context, self.page, lambda: _service().keep_both(database, taken.local_id),
                                     changes=Changes(dossiers=True))
            return (f"« {taken.title} » rapporté comme un nouveau dossier, à côté de la version du serveur."
                    if copy_id is not None else f"« {taken.title} » n'a pas été rapporté : il reste sur ce poste.")
        return f"« {taken.title} » reste emporté sur ce poste : rien n'a été enregistré sur le serveur."

    def ask_merge(self, outcome: offline.BringBackOutcome) -> MergeDialog:
        """The side-by-side choice, modal (tests drive it or replace this)."""
        from achatsdesk.ui.dossier.merge_dialog import MergeDialog

        dialog = MergeDialog(outcome, self.page)
        dialog.exec()
        return dialog
