"""The lots of the dossier (step Allotissement): title, CPV and amount of each.
When lots are given, the dossier's amount is their sum."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier import Dossier, Lot, format_amount
from achatsdesk.errors import ValidationError
from achatsdesk.ui.dossier.amount_edit import error_label, parse_amount


class LotsEditor(QWidget):
    edited = Signal(str, object, str)  # label, mutation, merge key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Intitulé du lot", "Code CPV", "Montant (€ HT)"])
        self.table.setAccessibleName("Lots")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.total = QLabel()
        self.total.setAccessibleName("Montant total des lots")
        self.error = error_label("Erreur de saisie d'un montant de lot")
        self.add_button = QPushButton("Ajouter un lot")
        self.add_button.setAccessibleName("Ajouter un lot")
        self.remove_button = QPushButton("Supprimer le lot")
        self.remove_button.setAccessibleName("Supprimer le lot sélectionné")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Sans lots, le marché est passé en un seul lot : justifiez-le dans la check-list ci-dessous."))
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(self.total)
        layout.addLayout(buttons)
        self._loading = False
        self.add_button.clicked.connect(self.add_lot)
        self.remove_button.clicked.connect(self._remove_current)
        self.table.itemChanged.connect(self._cell_changed)

    def add_lot(self) -> None:
        self.edited.emit("Ajouter un lot", lambda d: d.lots.append(Lot(f"Lot {len(d.lots) + 1}")), "")

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.edited.emit("Supprimer un lot", lambda d: d.lots.pop(row) if row < len(d.lots) else None, "")

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        row, column, text = cell.row(), cell.column(), cell.text().strip()
        amount = None
        if column == 2:
            try:
                amount = parse_amount(text)
            except ValidationError as exc:  # the lot keeps its amount; the cell keeps the text to correct
                self.error.setText(f"Lot {row + 1} : {exc.user_message}")
                self.error.show()
                return
            self.error.hide()

        def change(d: Dossier) -> None:
            if row >= len(d.lots):
                return
            lot = d.lots[row]
            if column == 0:
                lot.title = text or f"Lot {row + 1}"
            elif column == 1:
                lot.cpv = text or None
            else:
                lot.amount_eur = amount or Decimal(0)

        self.edited.emit("Modifier un lot", change, f"lot-{row}-{column}")

    @staticmethod
    def _same_amount(text: str, amount: Decimal) -> bool:
        """True when the cell already says this amount (or holds a wrong text being corrected)."""
        try:
            return parse_amount(text) == amount
        except ValidationError:
            return True

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers if read_only else QTableWidget.EditTrigger.AllEditTriggers)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    def show_dossier(self, dossier: Dossier) -> None:
        self._loading = True
        try:
            if self.table.rowCount() != len(dossier.lots):
                self.table.setRowCount(len(dossier.lots))
            for row, lot in enumerate(dossier.lots):
                for column, value in enumerate((lot.title, lot.cpv or "", format_amount(lot.amount_eur))):
                    current = self.table.item(row, column)
                    if current is None:
                        self.table.setItem(row, column, QTableWidgetItem(value))
                    elif current.text() != value and not (column == 2 and self._same_amount(current.text(), lot.amount_eur)):
                        current.setText(value)
            self.total.setText(f"Total des lots : {format_amount(dossier.amount_eur)}" if dossier.lots else "Aucun lot.")
        finally:
            self._loading = False
