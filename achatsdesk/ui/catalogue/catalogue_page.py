"""Catalogue ESS: search inclusive and ESS suppliers as you type, filter, see them on a map,
read a supplier's record, add it to a shortlist, manage the shortlists, import official lists.

A dossier opens the catalogue through ``preset_search``: its place, its sectors and its
shortlist as the target list, so that "Ajouter à la liste" adds to the dossier's list at once."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_number
from achatsdesk.services import catalogue as service
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.ui import operations
from achatsdesk.ui.catalogue.detail_pane import SupplierDetailPane
from achatsdesk.ui.catalogue.filter_panel import FilterPanel, FilterState
from achatsdesk.ui.catalogue.map_view import ResultsMap
from achatsdesk.ui.catalogue.results_model import SupplierTableModel
from achatsdesk.ui.operations import Changes
from achatsdesk.ui.page import Page
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets.remembered import remember_splitter
from achatsdesk.ui.widgets.row_table import row_table

PAGE_SIZE = 100
MAP_LIMIT = 2000
# Matches are counted up to this, shown "plus de 1 000" beyond: counting 400 000 costs more than the page.
TOTAL_CAP = 1000
DISTANCE_COLUMN = 3


class CataloguePage(Page):
    """Announces on the context: ``shortlist_changed`` when it adds to a list (a dossier's box
    refreshes), ``catalogue_changed`` after an import or a change of sectors."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._target: shortlists.ShortlistInfo | None = None  # the list "Ajouter à la liste" fills at once
        self.setAccessibleName("Catalogue ESS")
        self._database = context.database
        self._running = False
        self._pending = False
        self._searches = 0  # completed searches, for tests and the status line
        self._summary = service.catalogue_summary(self._database)
        self._sectors = service.list_sectors(self._database)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Nom, commune, activité…")
        self.search_field.setAccessibleName("Rechercher une structure")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.textChanged.connect(self.schedule_search)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Nombre de résultats")
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        layout.addLayout(top)
        self.filters = FilterPanel(context.reference, self._sectors)
        self.filters.changed.connect(self.schedule_search)
        layout.addWidget(self.filters)
        layout.addWidget(self._target_bar())

        self.model = SupplierTableModel(self)
        self.table = row_table(self.model, "Résultats de la recherche", stretch_column=None)
        # Header clicks are query orders (the model re-queries); start on relevance, no indicator.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.model.order_changed.connect(lambda *_: self._sync_sort_indicator())
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        for column, width in enumerate((260, 60, 170, 80, 180)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.map = ResultsMap()
        self.map.point_clicked.connect(self.select_supplier)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Vue des résultats")
        self.tabs.addTab(self.table, "Liste")
        self.tabs.addTab(self.map, "Carte")
        self.detail = SupplierDetailPane()
        self.detail.database = context.database
        self.detail.add_to_shortlist_requested.connect(self.add_to_shortlist)
        self.detail.edit_sectors_requested.connect(self.edit_sectors)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        remember_splitter(self.splitter, context.settings, Settings.catalogue_splitter)
        layout.addWidget(self.splitter, 1)

        self.import_action = QAction("Importer une liste…", self)
        self.import_action.setToolTip("Importer une liste officielle de structures (ASP, GEIQ, FINESS, SIRENE, CSV, XLSX)")
        self.import_action.triggered.connect(self.open_import)
        self.shortlist_action = QAction("Ajouter à une liste…", self)
        self.shortlist_action.setShortcut(QKeySequence("Ctrl+L"))
        self.shortlist_action.triggered.connect(lambda: self.detail.detail() and self.add_to_shortlist(self.detail.detail().id))
        self.lists_action = QAction("Listes de fournisseurs…", self)
        self.lists_action.setToolTip("Voir, renommer, exporter ou supprimer vos listes de présélection")
        self.lists_action.triggered.connect(self.open_shortlists)
        # Team mode: the administrator's imports and sector corrections go to every workstation.
        self.publish_action = QAction("Publier pour l'organisation", self)
        self.publish_action.setToolTip("Envoyer au serveur de l'équipe les structures importées et les secteurs "
                                       "corrigés sur ce poste : chaque poste les charge à sa prochaine connexion")
        self.publish_action.triggered.connect(self.publish_for_organisation)
        # Reachable from the window's toolbar (the menu arrow of "Ajouter à une liste…") and from
        # the search row, where the buyer looks when the toolbar is out of sight.
        self._shortlist_menu = QMenu(self)
        self._shortlist_menu.addAction(self.lists_action)
        self.shortlist_action.setMenu(self._shortlist_menu)
        self.lists_button = QToolButton()
        self.lists_button.setDefaultAction(self.lists_action)
        self.lists_button.setAccessibleName("Listes de fournisseurs")
        top.addWidget(self.lists_button)
        context.catalogue_changed.connect(self._catalogue_changed)
        self.search_now()

    def _target_bar(self) -> QWidget:
        self.target_bar = QWidget()
        self.target_bar.setAccessibleName("Liste du dossier")
        row = QHBoxLayout(self.target_bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.target_label = QLabel()
        self.target_label.setAccessibleName("Liste où vont les structures ajoutées")
        self.target_label.setWordWrap(True)
        self.clear_target_button = QToolButton()
        self.clear_target_button.setText("Ne plus ajouter à cette liste")
        self.clear_target_button.setAccessibleName("Ne plus ajouter à la liste du dossier")
        self.clear_target_button.clicked.connect(lambda: self.set_target_shortlist(None))
        row.addWidget(self.target_label, 1)
        row.addWidget(self.clear_target_button)
        self.target_bar.setVisible(False)
        return self.target_bar

    # -- Page API
    def toolbar_actions(self) -> list[QAction]:
        team = [self.publish_action] if self._database.is_team else []  # alone there is nobody to publish to
        return [self.import_action, self.shortlist_action, *team]

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def status_text(self) -> str:
        s = self._summary
        years = f" · sources {s.first_year}-{s.last_year}" if s.first_year else ""
        return f"Catalogue : {format_number(s.total)} structures{years}"

    # -- searching: the newest request wins, the window never waits
    def schedule_search(self, *_args) -> None:
        if self._running:
            self._pending = True
            return
        self.search_now()

    def _request(self) -> tuple[str, FilterState]:
        return self.search_field.text(), self.filters.state()

    def _call(self, text: str, state: FilterState, limit: int, offset: int = 0,
              order: str = "relevance", descending: bool = False):
        return service.search_suppliers(
            self._database, text, kinds=state.kinds, sectors=state.sector_values(),
            departements=[state.departement] if state.departement else [], near=state.near_insee,
            radius_km=state.radius_km if state.near_insee else None, limit=limit, offset=offset,
            order=order, descending=descending, total_cap=TOTAL_CAP,
        )

    def _sync_sort_indicator(self) -> None:
        """The header shows the order of the rows: the column clicked, Distance for the
        default order around a place, none for relevance."""
        header = self.table.horizontalHeader()
        column, descending = self.model.sort_column(), self.model.sort_descending()
        if column < 0 and self.model.has_place():
            column = DISTANCE_COLUMN
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (column, order):
            return
        blocked = header.blockSignals(True)  # only the drawing: the rows are already in this order
        header.setSortIndicator(column, order)
        header.blockSignals(blocked)
        header.viewport().update()

    def search_now(self) -> None:
        text, state = self._request()
        self._running = True

        order, descending = self.model.order()
        if order == "distance" and not state.near_insee:
            order, descending = "relevance", False  # the place was removed: its order goes with it

        def work(_control):
            result = self._call(text, state, PAGE_SIZE, order=order, descending=descending)
            scene = None
            if result.place is not None:
                around = self._call(text, state, MAP_LIMIT) if result.total > PAGE_SIZE else result
                communes = service.communes_near(self._database, result.place.latitude, result.place.longitude, state.radius_km)
                scene = (around, communes)
            return result, scene

        operations.run_in_background(self.context, self, work, writes=False,
                                     success=lambda out: self._show(text, state, *out), failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.count_label.setText("")
        operations.report(self, exc)
        self._next()

    def _next(self) -> None:
        if self._pending:
            self._pending = False
            self.search_now()

    def _show(self, text: str, state: FilterState, result, scene) -> None:
        self._running = False
        self._searches += 1
        if self._pending:  # a newer request is waiting: skip painting this one
            self._next()
            return
        self.model.set_results(
            result.hits, result.total,
            lambda offset, order, descending: self._call(text, state, PAGE_SIZE, offset, order, descending).hits,
            has_place=result.place is not None,
        )
        if self.model.order()[0] == "distance" and result.place is None:
            self.model.reset_order()  # back to relevance, which these rows were fetched in
        self._sync_sort_indicator()
        where = ""
        if result.place is not None:
            where = f" à moins de {format_number(result.radius_km)} km de {result.place.name}"
        more = "" if result.total_is_exact else "plus de "
        self.count_label.setText(f"{more}{format_number(result.total)} structures{where}")
        if scene is not None:
            around, communes = scene
            points = [(h.latitude, h.longitude, h.kind, h.id) for h in around.hits if h.latitude is not None]
            labels = {h.id: " · ".join(p for p in (h.name, h.kind, h.commune) if p) for h in around.hits}
            self.map.set_scene((result.place.latitude, result.place.longitude), result.place.name, result.radius_km,
                               communes, points, labels)
        else:
            self.map.set_scene(None, "", state.radius_km, [], [])
        if result.hits:
            self.table.selectRow(0)
        else:
            self.detail.show_detail(None)

    # -- the selected supplier
    def select_supplier(self, supplier_id: int) -> bool:
        """Select the row of a supplier (a click on its map point); False when it is not in the rows shown."""
        rows = [row for row, hit in enumerate(self.model.rows()) if hit.id == supplier_id]
        if not rows:
            return False
        self.table.selectRow(rows[0])
        self.table.scrollTo(self.model.index(rows[0], 0))
        return True

    def _row_changed(self, current, _previous) -> None:
        hit = self.model.row(current.row()) if current.isValid() else None
        self.map.set_selected(hit.id if hit else None)
        if hit is None:
            self.detail.show_detail(None)
            return
        operations.run(self.context, self, lambda: service.get_supplier(self._database, hit.id),
                       success=self.detail.show_detail)

    # -- presets from a dossier and the target list
    def preset_search(self, place_insee: str | None = None, sectors: Sequence[str] = (), sectors_label: str = "",
                      shortlist_id: int | None = None) -> None:
        """Search around a place, in some sectors (slugs), filling a list: what a dossier asks for.
        The search text is cleared so that the preset is all that filters; one search follows."""
        self.filters.blockSignals(True)  # one search for the whole preset, not one per field
        self.search_field.blockSignals(True)
        try:
            self.search_field.clear()
            self.filters.set_place(place_insee)
            self.filters.set_preset_sectors(sectors_label, tuple(sectors))
        finally:
            self.filters.blockSignals(False)
            self.search_field.blockSignals(False)
        self.set_target_shortlist(shortlist_id)
        self.schedule_search()

    def set_target_shortlist(self, shortlist_id: int | None) -> None:
        self._target = shortlists.find_shortlist(self._database, shortlist_id) if shortlist_id is not None else None
        name = self._target.name if self._target else None
        self.detail.set_target(name)
        self.target_bar.setVisible(self._target is not None)
        if self._target is not None:
            self.target_label.setText(f"Les structures que vous ajoutez vont dans la liste « {name} ».")

    def target_shortlist(self) -> int | None:
        return self._target.id if self._target else None

    def add_to_shortlist(self, supplier_id: int) -> None:
        if self._target is not None:
            self._add_to_target(supplier_id)
            return
        from achatsdesk.ui.catalogue.shortlist_dialog import ShortlistDialog

        detail = self.detail.detail()
        name = detail.name if detail and detail.id == supplier_id else ""
        dialog = ShortlistDialog(self.context, supplier_id, name, self)  # announces the list it added to
        if dialog.exec() and detail is not None:
            self.detail.show_detail(service.get_supplier(self._database, supplier_id))

    def _add_to_target(self, supplier_id: int) -> None:
        target = self._target

        def add() -> tuple[bool, object]:
            return shortlists.add_to_shortlist(self._database, target.id, supplier_id), \
                service.get_supplier(self._database, supplier_id)

        outcome = operations.run(self.context, self, add,
                                 changes=lambda out: Changes(shortlist=target.id) if out[0] else None)
        if outcome is None:
            return
        added, detail = outcome
        if self.detail.detail() is not None and self.detail.detail().id == supplier_id:
            self.detail.show_detail(detail)
        what = "ajoutée à" if added else "déjà dans"
        self.detail.feedback.setText(f"« {detail.name} » {what} la liste « {target.name} ».")

    def open_shortlists(self) -> None:
        from achatsdesk.ui.catalogue.shortlists_dialog import ShortlistsDialog

        dialog = ShortlistsDialog(self.context, self)
        dialog.lists_changed.connect(self._lists_changed)
        dialog.exec()

    def _lists_changed(self, shortlist_id: int) -> None:
        """A list renamed or deleted in the dialog (the dialog announced it to the other views)."""
        if self._target is not None and self._target.id == shortlist_id:
            self.set_target_shortlist(shortlist_id)  # renamed or deleted: say so
        detail = self.detail.detail()
        if detail is not None:
            self.detail.show_detail(service.get_supplier(self._database, detail.id))

    def edit_sectors(self, supplier_id: int) -> None:
        from achatsdesk.ui.catalogue.sectors_dialog import SectorsDialog

        detail = service.get_supplier(self._database, supplier_id)
        dialog = SectorsDialog(detail, self._sectors, self)
        if dialog.exec():
            chosen = dialog.chosen()
            # The announcement (catalogue_changed) searches again.
            operations.run(self.context, self, lambda: service.set_supplier_sectors(self._database, supplier_id, chosen),
                           success=lambda _: self.detail.show_detail(service.get_supplier(self._database, supplier_id)),
                           changes=Changes(catalogue=True))

    def open_import(self) -> None:
        from achatsdesk.ui.catalogue.import_dialog import ImportAssistant

        ImportAssistant(self.context, self).exec()  # an import announces catalogue_changed

    def publish_for_organisation(self) -> None:
        from achatsdesk.services.catalogue_publication import publish_catalogue

        def published(release) -> None:
            QMessageBox.information(
                self, "Catalogue publié",
                f"Version {release.version} du catalogue de l'organisation publiée : "
                f"{format_number(release.suppliers)} structures, {format_number(release.corrections)} corrections "
                "de secteurs. Vos collègues la reçoivent à leur prochaine connexion.")

        operations.run_in_background(self.context, self, lambda _control: publish_catalogue(self._database),
                                     label="Publication du catalogue…", success=published)

    def _catalogue_changed(self) -> None:
        """Suppliers imported, sectors changed: the counts and the results are read again."""
        self._summary = service.catalogue_summary(self._database)
        self.schedule_search()
        self.status_changed.emit()
