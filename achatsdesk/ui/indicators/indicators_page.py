"""Indicateurs section: the dossiers prepared on this computer, year by year of launch,
with their social and environmental clauses (what a SPASER report asks first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from achatsdesk.domain.formatting import format_money, format_number, format_percent
from achatsdesk.domain.indicators import YearIndicators
from achatsdesk.ui import operations
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.item_models.rows_model import RowsTableModel
from achatsdesk.ui.page import Page
from achatsdesk.ui.widgets import file_dialogs
from achatsdesk.ui.widgets.row_table import row_table


def choose_destination(parent: QWidget, start: str) -> str:
    """The save dialog, as a function so that tests can stand in for the buyer."""
    return file_dialogs.save_file_name(parent, "Exporter les indicateurs", start, "Classeur Excel (*.xlsx)")


def _count_and_share(count: int, amount, line: YearIndicators) -> str:
    share = line.share(amount)
    return f"{format_number(count)} ({format_percent(share) if share is not None else '—'} du montant)"


class IndicatorsModel(RowsTableModel[YearIndicators]):
    # Two-line headers: the table fits the window without cutting a title.
    columns = ("Année de\nlancement", "Dossiers", "Montant estimé", "Avec clause\nsociale",
               "Avec clause\nenvironnementale", "Heures d'insertion\nprévues", "Marchés ou lots\nréservés")

    def cell(self, line: YearIndicators, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                str(line.year) if isinstance(line.year, int) else "Sans date de lancement",
                format_number(line.dossiers),
                format_money(line.amount_eur),
                _count_and_share(line.social, line.social_amount_eur, line),
                _count_and_share(line.environmental, line.environmental_amount_eur, line),
                format_number(line.insertion_hours),
                format_number(line.reserved),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class IndicatorsPage(Page):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAccessibleName("Indicateurs")
        heading = QLabel("<h2>Indicateurs des dossiers</h2>")
        note = QLabel(
            "Les dossiers préparés dans achatsdesk sur ce poste, par année de lancement. Une clause compte comme "
            "sociale ou environnementale selon l'achat stratégique qu'elle déclare dans l'avis (eForms BT-06). "
            "Ce sont des consultations préparées, pas des marchés attribués : pour le rapport du SPASER, "
            "rapprochez-les des marchés notifiés."
        )
        note.setWordWrap(True)
        self.model = IndicatorsModel(self)
        self.table = row_table(self.model, "Indicateurs par année de lancement", stretch_column=None)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel("Aucun dossier pour l'instant : les indicateurs apparaîtront avec vos dossiers.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        from achatsdesk.ui.execution.realised_panel import RealisedPanel

        self.realised = RealisedPanel(context)  # the awarded contracts, the hours chart, the SPASER export
        layout.addWidget(self.realised, 1)
        self._status = ""
        self.lines: list[YearIndicators] = []
        self.export_action = QAction("Exporter (XLSX)…", self)
        self.export_action.setToolTip("Le tableau dans un classeur, pour le rapport du SPASER")
        self.export_action.triggered.connect(lambda: self.export())

    def toolbar_actions(self) -> list[QAction]:
        return [self.export_action, self.realised.export_action, self.realised.import_action]

    def export(self) -> None:
        from achatsdesk.services.indicators_workbook import export_indicators

        settings = self.context.settings
        chosen = choose_destination(self, str(file_dialogs.start_folder(settings) / "indicateurs achatsdesk.xlsx"))
        if not chosen:
            return
        target = file_dialogs.with_suffix(chosen, ".xlsx")
        file_dialogs.remember_folder(settings, target)
        lines = list(self.lines)

        def done(path: Path) -> None:
            self._status = f"Indicateurs enregistrés dans « {path.name} »."
            self.status_changed.emit()

        from achatsdesk.services.indicators import dossier_lines

        database = self.context.database
        operations.run_in_background(
            self.context, self, lambda _control: export_indicators(lines, target, dossiers=dossier_lines(database)),
            writes=False, label="Enregistrement des indicateurs…", success=done)

    def on_shown(self) -> None:
        """Counted again each time the section is shown: dossiers change meanwhile."""
        from achatsdesk.services.indicators import dossier_indicators

        database = self.context.database
        self.realised.refresh()
        operations.run_in_background(self.context, self, lambda control: dossier_indicators(database, control.progress),
                                     writes=False, success=self._show)

    def _show(self, lines: list[YearIndicators]) -> None:
        self.lines = lines
        self.export_action.setEnabled(bool(lines))
        self.model.set_rows(lines)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not lines)
        total = sum(line.dossiers for line in lines)
        self._status = f"Indicateurs : {format_number(total)} dossier{'s' if total > 1 else ''}" if total else ""
        self.status_changed.emit()

    def status_text(self) -> str:
        return self._status
