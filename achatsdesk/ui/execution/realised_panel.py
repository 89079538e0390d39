"""The realised half of the Indicateurs section: the contracts actually awarded (dossiers
followed in achatsdesk and contracts imported from DECP files), per year and service,
beside the planned figures, with the chart of insertion hours and the SPASER export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_money, format_number, format_percent
from achatsdesk.domain.spaser import ContractLine, SpaserLine, hours_by_year, spaser_lines
from achatsdesk.ui import operations
from achatsdesk.ui.execution.hours_chart import HoursChart
from achatsdesk.ui.widgets import file_dialogs

COLUMNS = ("Année", "Service", "Marchés\nattribués", "Montant", "Avec considération\nsociale",
           "Avec considération\nenvironnementale", "Heures prévues /\nréalisées", "Bénéficiaires",
           "Structures\ninclusives", "Réservés")


def choose_destination(parent: QWidget, start: str) -> str:
    return file_dialogs.save_file_name(parent, "Exporter le rapport SPASER", start, "Classeur Excel (*.xlsx)")


def choose_decp_file(parent: QWidget) -> str:
    return file_dialogs.open_file_name(parent, "Importer des marchés publiés (DECP)", "",
                                       "Données essentielles (*.json *.csv *.xlsx);;Tous les fichiers (*)")


def _with_share(count: int, amount, line: SpaserLine) -> str:
    share = line.share(amount)
    return f"{format_number(count)} ({format_percent(share) if share is not None else '—'})"


class RealisedPanel(QWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Réalisé : marchés attribués")
        heading = QLabel("<h3>Réalisé : marchés attribués</h3>")
        note = QLabel("Les lots attribués des dossiers suivis dans achatsdesk et les marchés importés d'un fichier "
                      "DECP, par année de notification et par service. Les considérations viennent des clauses "
                      "choisies, lues comme dans l'avis (eForms BT-06). Le graphique rapporte les heures prévues et "
                      "réalisées de chaque marché à son année de notification.")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Réalisé par année et par service")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = HoursChart()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        for widget in (heading, note, self.table, self.chart):
            layout.addWidget(widget)
        self.contracts: list[ContractLine] = []
        self.lines: list[SpaserLine] = []
        self.export_action = QAction("Exporter le rapport SPASER (XLSX)…", self)
        self.export_action.setToolTip("Le réalisé par année et par service, une ligne par marché")
        self.export_action.triggered.connect(lambda: self.export())
        self.import_action = QAction("Importer des marchés publiés (DECP)…", self)
        self.import_action.setToolTip("Un fichier DECP v2 (JSON) ou le format tabulaire consolidé (CSV) : "
                                      "vos marchés passés entrent dans le réalisé")
        self.import_action.triggered.connect(lambda: self.import_file(choose_decp_file(self)))
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setAccessibleName("Compte rendu de l'import DECP")
        layout.addWidget(self.report)

    def refresh(self) -> None:
        from achatsdesk.services.returns import contract_lines

        database = self.context.database
        operations.run_in_background(self.context, self, lambda _control: contract_lines(database, with_published=True),
                                     writes=False, success=self.show_contracts)

    def show_contracts(self, contracts: list[ContractLine]) -> None:
        self.contracts = contracts
        self.lines = spaser_lines(contracts)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            cells = (str(line.year), line.service, format_number(line.contracts), format_money(line.amount_eur),
                     _with_share(line.social, line.social_amount_eur, line),
                     _with_share(line.environmental, line.environmental_amount_eur, line),
                     f"{format_number(line.hours_planned)} / {format_number(line.hours_realised)}",
                     format_number(line.beneficiaries), _with_share(line.inclusive_awards, line.inclusive_amount_eur, line),
                     format_number(line.reserved))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.chart.set_years(hours_by_year(contracts))
        self.export_action.setEnabled(bool(contracts))

    def import_file(self, path: str) -> None:
        if not path:
            return
        from achatsdesk.services.decp_import import import_decp

        database = self.context.database

        def done(outcome) -> None:
            rejected = "".join(f" Ligne {r.line} rejetée : {r.reason}." for r in outcome.rejected[:5])
            self.report.setText(outcome.summary + rejected)
            self.refresh()

        operations.run_in_background(self.context, self, lambda _control: import_decp(database, Path(path)),
                                     label="Import des marchés publiés…", success=done)

    def export(self) -> None:
        from achatsdesk.services.spaser_workbook import export_spaser

        folder = str(file_dialogs.start_folder(self.context.settings))
        chosen = choose_destination(self, str(Path(folder) / "rapport SPASER achatsdesk.xlsx"))
        if not chosen:
            return
        target = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        lines, contracts = list(self.lines), list(self.contracts)
        file_dialogs.remember_folder(self.context.settings, target)
        operations.run_in_background(self.context, self, lambda _control: export_spaser(lines, contracts, target),
                                     writes=False, label="Enregistrement du rapport SPASER…")
