"""Suivi section: every contract under execution, lot by lot, with its progress
(hours realised over planned), its end date and the late reports."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier import STATUS_LABELS
from achatsdesk.domain.formatting import format_date_short, format_number
from achatsdesk.domain.plural import count_of
from achatsdesk.services.execution import ContractInExecution
from achatsdesk.ui import operations
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.page import Page

COLUMNS = ("Dossier", "Lot", "Titulaire", "Statut", "Heures réalisées / prévues", "Avancement", "Fin", "Relevés")


class FollowUpPage(Page):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAccessibleName("Suivi de l'exécution")
        heading = QLabel("<h2>Suivi de l'exécution</h2>")
        note = QLabel("Les marchés attribués en cours d'exécution : heures d'insertion réalisées sur les heures "
                      "prévues, date de fin, et les lots sans relevé depuis quatre mois ou plus.")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Marchés en exécution")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel("Aucun marché en exécution : attribuez un dossier validé à son étape Exécution.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        for widget in (heading, note, self.table, self.empty):
            layout.addWidget(widget)
        self.contracts: list[ContractInExecution] = []
        self._status = ""

    def on_shown(self) -> None:
        from achatsdesk.services.execution import contracts_in_execution

        database = self.context.database
        operations.run_in_background(self.context, self, lambda _control: contracts_in_execution(database),
                                     writes=False, success=self.show_contracts)

    def show_contracts(self, contracts: list[ContractInExecution]) -> None:
        self.contracts = contracts
        rows = [(c, lot) for c in contracts for lot in c.follow_up.lots if lot.lot and lot.award is not None]
        self.table.setRowCount(len(rows))
        late = 0
        for row, (contract, lot) in enumerate(rows):
            planned = sum((p.commitment.planned for p in lot.progress if p.commitment.unit == "heures"), 0)
            realised = sum((p.realised for p in lot.progress if p.commitment.unit == "heures"), 0)
            late += bool(lot.late_label)
            cells = (contract.title, f"{lot.lot} — {lot.title}", lot.award.holder_name or lot.award.holder_siret,
                     STATUS_LABELS[contract.status], f"{format_number(realised)} / {format_number(planned)} h", "",
                     format_date_short(lot.end_date) if lot.end_date else "—", lot.late_label or "à jour")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            bar = QProgressBar()
            bar.setRange(0, 100)
            share = int(realised * 100 / planned) if planned else 0
            bar.setValue(min(share, 100))
            bar.setAccessibleName(f"Avancement {share} %")
            self.table.setCellWidget(row, 5, bar)
        self.empty.setVisible(not rows)
        self._status = (f"Suivi : {count_of(len(rows), 'lot')} en exécution"
                        + (f", {late} sans relevé récent" if late else "")) if rows else ""
        self.status_changed.emit()

    def status_text(self) -> str:
        return self._status
