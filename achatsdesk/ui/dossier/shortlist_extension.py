"""The dossier's supplier shortlist inside the editor (one of the editor's parts, built by DossierEditor).

On the "besoin" step, a "Fournisseurs présélectionnés" box: choose one of the
catalogue's lists or create one named after the dossier, see its suppliers
(with their distance from the place of execution), remove one, and "Chercher
dans le catalogue", which opens the Catalogue ESS around the dossier's place,
in the sectors of its CPV code, with this list as the one "Ajouter à la liste"
fills.

Which list the dossier uses is part of the dossier (``Dossier.shortlist_id``):
choosing it goes through ``editor.apply_edit`` (Ctrl+Z undoes it, the autosave
stores it). The list's content lives in the catalogue: removing a supplier is
not a dossier edit and is not undone by Ctrl+Z. In review mode the box only shows.

A dossier imported from another machine carries its list as a snapshot
(``editor.shortlist_snapshot()``): while the dossier has no local list, the box
shows the snapshot's suppliers read-only, "liste reçue avec le dossier", and
"Créer la liste dans le catalogue" makes a local list of those this catalogue
holds (same SIRET and kind), then attaches it like any other list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_number
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import offline
from achatsdesk.services.catalogue_shortlists import ShortlistEntry
from achatsdesk.services.dossier_exchange import create_shortlist_from_snapshot
from achatsdesk.services.lever_advice import sectors_for_cpv
from achatsdesk.ui import operations
from achatsdesk.ui.catalogue.shortlist_model import ShortlistEntriesModel
from achatsdesk.ui.context import CatalogueSearch
from achatsdesk.ui.operations import Changes
from achatsdesk.ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from achatsdesk.ui.dossier.editor import DossierEditor

NO_LIST = "(aucune liste)"


def dossier_sectors(cpv: list[str]) -> tuple[tuple[str, ...], str]:
    """The Marché de l'inclusion sectors of the dossier's CPV codes, and a label saying where they come from."""
    sectors: list[str] = []
    labels: list[str] = []
    for match in sectors_for_cpv(cpv):
        sectors.extend(s for s in match.sectors if s not in sectors)
        if match.label not in labels:
            labels.append(match.label)
    return tuple(sectors), ", ".join(labels)


class ShortlistBox(QGroupBox):
    def __init__(self, editor: DossierEditor, parent: QWidget | None = None) -> None:
        super().__init__("Fournisseurs présélectionnés", parent)
        self.editor = editor
        self.context = editor.context
        self.database = editor.context.database
        # A team dossier taken away and edited offline: its list is the team's, on the server; the number
        # it carries names none of this file's lists. It is shown from the copy taken with it, read-only.
        self.team_copy = offline.is_taken_copy(editor.context.database, editor.dossier_id)
        self.read_only = editor.review_mode or self.team_copy
        self.setAccessibleName("Fournisseurs présélectionnés")
        layout = QVBoxLayout(self)
        hint = QLabel("Les structures inclusives et de l'ESS que vous envisagez de consulter, tirées du Catalogue ESS ; "
                      "la liste s'exporte en classeur Excel depuis l'étape Relecture.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.list_choice = QComboBox()
        self.list_choice.setAccessibleName("Liste de fournisseurs du dossier")
        self.list_choice.activated.connect(self._list_chosen)
        # Short texts: the step column is narrow and must not scroll sideways.
        self.list_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.list_choice.setMinimumContentsLength(16)
        self.create_button = QPushButton("Nouvelle liste")
        self.create_button.setToolTip("Créer une liste de fournisseurs au nom du dossier et la choisir pour ce dossier")
        self.create_button.setAccessibleName("Créer une liste de fournisseurs au nom du dossier")
        self.create_button.clicked.connect(self.create_list)
        label = QLabel("&Liste :")
        label.setBuddy(self.list_choice)
        row.addWidget(label)
        row.addWidget(self.list_choice, 1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setAccessibleName("Résumé de la liste du dossier")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        snapshot_row = QHBoxLayout()
        self.snapshot_note = QLabel()
        self.snapshot_note.setAccessibleName("Liste reçue avec le dossier")
        self.snapshot_note.setWordWrap(True)
        self.snapshot_button = QPushButton("Créer la liste dans le catalogue")
        self.snapshot_button.setAccessibleName("Créer dans le catalogue la liste reçue avec le dossier")
        self.snapshot_button.setToolTip("Crée une liste avec les structures reçues que votre catalogue contient "
                                        "(même SIRET et même type) et la choisit pour ce dossier.")
        self.snapshot_button.clicked.connect(self.create_from_snapshot)
        snapshot_row.addWidget(self.snapshot_note, 1)
        snapshot_row.addWidget(self.snapshot_button)
        layout.addLayout(snapshot_row)
        # The list received with an imported dossier (read once: it only changes by importing again).
        self.snapshot = editor.shortlist_snapshot()
        self._created: tuple[int, str] | None = None  # (list id, what creating it from the snapshot gave)
        self.model = ShortlistEntriesModel(self)
        self.table = row_table(self.model, "Fournisseurs de la liste du dossier", stretch_column=None)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(140)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("Retirer de la liste")
        self.remove_button.setAccessibleName("Retirer le fournisseur sélectionné de la liste")
        self.remove_button.clicked.connect(self.remove_selected)
        self.search_button = QPushButton("Chercher dans le catalogue")
        self.search_button.setAccessibleName("Chercher des fournisseurs dans le catalogue pour ce dossier")
        self.search_button.setToolTip("Ouvre le Catalogue ESS autour du lieu d'exécution, dans les secteurs du code CPV ; "
                                      "« Ajouter à la liste » y remplit la liste du dossier.")
        self.search_button.clicked.connect(self.search_catalogue)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.search_button)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._shown: tuple[int | None, str | None] | None = None  # (list id, place) last shown
        editor.dossier_changed.connect(self._dossier_changed)
        self.context.shortlist_changed.connect(self._list_changed)  # filled in the catalogue, renamed…
        self.refresh()

    # --- showing --------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        # The list may have been filled in the catalogue while the dossier was out of sight.
        self.refresh()
        super().showEvent(event)

    def _dossier_changed(self, dossier) -> None:
        # Most edits (a typed title, a checklist answer) change neither the list nor the place:
        # no need to read the list again on every keystroke.
        if (dossier.shortlist_id, dossier.place_insee) != self._shown:
            self.refresh(dossier)

    def refresh(self, dossier=None) -> None:
        dossier = dossier if dossier is not None else self.editor.current_dossier()
        self._shown = (dossier.shortlist_id, dossier.place_insee)
        if self.team_copy:
            self._show_team_copy(dossier)
            return
        lists = shortlists.list_shortlists(self.database)
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem(NO_LIST, None)
        for info in lists:
            self.list_choice.addItem(f"{info.name} ({format_number(info.size)})", info.id)
        index = self.list_choice.findData(dossier.shortlist_id) if dossier.shortlist_id is not None else 0
        self.list_choice.setCurrentIndex(max(0, index))
        self.list_choice.blockSignals(False)
        current = next((info for info in lists if info.id == dossier.shortlist_id), None)
        entries = shortlists.shortlist_entries(self.database, current.id, dossier.place_insee) if current else []
        received = self._received_entries() if dossier.shortlist_id is None else []
        self.model.set_rows(entries or received)
        self._show_snapshot_note(dossier, received)
        if received:
            name = self.snapshot.get("name") or "sans nom"
            self.summary.setText(f"Liste « {name} » reçue avec le dossier : {format_number(len(received))} structure"
                                 f"{'s' if len(received) > 1 else ''}, en lecture seule.")
        elif dossier.shortlist_id is not None and current is None:
            self.summary.setText("La liste choisie pour ce dossier a été supprimée du catalogue. "
                                 "Choisissez une autre liste ou créez-en une.")
        elif current is None:
            self.summary.setText("Aucune liste de fournisseurs pour ce dossier. Créez-en une ou choisissez une liste existante.")
        elif not entries:
            self.summary.setText(f"La liste « {current.name} » est vide : cherchez des structures dans le catalogue.")
        else:
            where = "" if dossier.place_insee else " (distances : indiquez le lieu d'exécution)"
            self.summary.setText(f"La liste « {current.name} » compte {format_number(len(entries))} structure"
                                 f"{'s' if len(entries) > 1 else ''}{where}.")
        self._update_buttons()

    def _show_team_copy(self, dossier) -> None:
        received = self._received_entries() if dossier.shortlist_id is not None else []
        name = (self.snapshot or {}).get("name") or "sans nom"
        self.list_choice.blockSignals(True)
        self.list_choice.clear()
        self.list_choice.addItem(f"{name} (liste de l'équipe)" if dossier.shortlist_id is not None else NO_LIST,
                                 dossier.shortlist_id)
        self.list_choice.blockSignals(False)
        self.model.set_rows(received)
        self.snapshot_note.setText("")
        self.snapshot_note.setVisible(False)
        self.snapshot_button.setVisible(False)
        if dossier.shortlist_id is None:
            self.summary.setText("Aucune liste de fournisseurs pour ce dossier emporté.")
        else:
            self.summary.setText(f"Liste « {name} » de l'équipe, copiée en emportant le dossier : "
                                 f"{format_number(len(received))} structure{'s' if len(received) > 1 else ''}, "
                                 "en lecture seule jusqu'à son retour sur le serveur.")
        self._update_buttons()

    def _received_entries(self) -> list[ShortlistEntry]:
        """The snapshot's suppliers as table rows (no local id: they may not be in this catalogue)."""
        suppliers = (self.snapshot or {}).get("suppliers") or []
        return [
            ShortlistEntry(-1, s.get("siret"), str(s.get("name") or "?"), str(s.get("kind") or ""), s.get("commune"),
                           str(s.get("note") or ""), "", source=str(s.get("source") or ""), source_date=s.get("source_date"))
            for s in suppliers if isinstance(s, dict)
        ]

    def _show_snapshot_note(self, dossier, received: list[ShortlistEntry]) -> None:
        if received:
            self.snapshot_note.setText("Liste reçue avec le dossier. Pour la modifier ou chercher d'autres structures, "
                                       "créez-la dans votre catalogue.")
        elif self._created is not None and self._created[0] == dossier.shortlist_id:
            self.snapshot_note.setText(self._created[1])
        else:
            self.snapshot_note.setText("")
        self.snapshot_note.setVisible(bool(self.snapshot_note.text()))
        self.snapshot_button.setVisible(bool(received))

    def _update_buttons(self) -> None:
        self.snapshot_button.setEnabled(not self.read_only)
        self.list_choice.setEnabled(not self.read_only)
        self.create_button.setEnabled(not self.read_only)
        self.search_button.setEnabled(not self.read_only)
        self.remove_button.setEnabled(not self.read_only and bool(self._selected_supplier()))

    def _selected_supplier(self) -> str | None:
        """The selected line's catalogue key (what the list stores), None without a selection."""
        rows = self.table.selectionModel().selectedRows()
        entry = self.model.row(rows[0].row()) if rows else None
        return entry.match_key or None if entry else None

    # --- edits ----------------------------------------------------------------------
    def attach(self, shortlist_id: int | None) -> None:
        """The dossier uses this list (None: no list). An undoable, autosaved edit of the dossier."""
        label = "Choisir la liste de fournisseurs" if shortlist_id is not None else "Retirer la liste de fournisseurs"

        def change(dossier) -> None:
            dossier.shortlist_id = shortlist_id

        self.editor.apply_edit(label, change)
        self.refresh()  # also when nothing changed: the combo shows the dossier's list again

    def _list_chosen(self, _index: int) -> None:
        if not self.read_only:
            self.attach(self.list_choice.currentData())

    def create_list(self) -> int | None:
        title = self.editor.current_dossier().title
        list_id = operations.run(self.context, self, lambda: shortlists.create_shortlist(self.database, title, unique=True),
                                 changes=lambda new_id: Changes(shortlist=new_id))
        if list_id is None:
            return None
        self.attach(list_id)
        return list_id

    def create_from_snapshot(self) -> int | None:
        """The received list made local (the suppliers this catalogue holds), attached to the dossier."""
        if self.read_only or not self.snapshot:
            return None
        snapshot = self.snapshot
        outcome = operations.run(self.context, self, lambda: create_shortlist_from_snapshot(self.database, snapshot),
                                 changes=lambda made: Changes(shortlist=made.shortlist_id))
        if outcome is None:
            return None
        note = f"Liste « {outcome.name} » créée avec {format_number(outcome.added)} structure{'s' if outcome.added > 1 else ''}."
        if outcome.missing:
            note += (f" {format_number(outcome.missing)} structure{'s' if outcome.missing > 1 else ''} de la liste reçue "
                     f"{'sont introuvables' if outcome.missing > 1 else 'est introuvable'} dans votre catalogue "
                     "(même SIRET et même type) : importez la liste qui les contient, ou cherchez-les dans le catalogue.")
        self._created = (outcome.shortlist_id, note)
        self.attach(outcome.shortlist_id)
        return outcome.shortlist_id

    def remove_selected(self) -> None:
        match_key = self._selected_supplier()
        list_id = self.editor.current_dossier().shortlist_id
        if self.read_only or match_key is None or list_id is None:
            return
        # The announcement refreshes this box (and the catalogue's view of the list).
        operations.run(self.context, self, lambda: shortlists.remove_from_shortlist(self.database, list_id, match_key),
                       changes=Changes(shortlist=list_id))

    # --- the catalogue --------------------------------------------------------------
    def search_catalogue(self) -> CatalogueSearch | None:
        """Ask for the Catalogue ESS preset for this dossier (the main window shows it); returns the request."""
        if self.read_only:
            return None
        dossier = self.editor.current_dossier()
        list_id = dossier.shortlist_id
        if list_id is None or shortlists.find_shortlist(self.database, list_id) is None:
            list_id = self.create_list()  # the search fills a list: the dossier's own one
            if list_id is None:
                return None
        sectors, label = dossier_sectors(dossier.cpv)
        request = CatalogueSearch(dossier.place_insee, sectors, label, list_id)
        self.context.catalogue_search_requested.emit(request)
        return request

    def _list_changed(self, shortlist_id: int) -> None:
        if shortlist_id == self.editor.current_dossier().shortlist_id:
            self.refresh()

