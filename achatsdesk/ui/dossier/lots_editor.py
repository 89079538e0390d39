"""The lots of the dossier (step Allotissement): title, CPV and amount of each, the
buyer's small-lot choice and the procedure each lot gets (read-only). Once lot
amounts are given, the dossier's amount is their sum; until then the estimate stays
in force. A lot's CPV comes only from the CPV picker (a typed "abc" used to fall
back silently to a default labour share). The small-lots budget (20 % of the value
of all lots, R2123-1 2° and R2122-8) is shown under the table; a choice over it is
refused with a French message."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
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
from achatsdesk.domain.procedure import ProcedureAssessment, small_lot_choice
from achatsdesk.domain.thresholds import PROCEDURE_LABELS
from achatsdesk.errors import ValidationError
from achatsdesk.services.reference import ReferenceService
from achatsdesk.ui.dossier.amount_edit import error_label, parse_amount

CPV_COLUMN = 1


class LotsEditor(QWidget):
    edited = Signal(str, object, str)  # label, mutation, merge key

    def __init__(self, reference: ReferenceService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._read_only = False
        # Asks the buyer for a CPV code (initial code) -> chosen code or None; tests replace it.
        self.ask_cpv: Callable[[str], str | None] = self._ask_cpv_with_picker
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Intitulé du lot", "Code CPV", "Montant (€ HT)", "Petit lot", "Procédure du lot"])
        self.table.setAccessibleName("Lots")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.total = QLabel()
        self.total.setAccessibleName("Montant total des lots")
        self.error = error_label("Erreur de saisie d'un montant de lot")
        self.budget = QLabel()
        self.budget.setWordWrap(True)
        self.budget.setAccessibleName("Budget des petits lots")
        self.choice_error = error_label("Choix de petit lot refusé")
        self._details: ProcedureAssessment | None = None
        self._read_only = False
        self._dossier: Dossier | None = None
        self.add_button = QPushButton("Ajouter un lot")
        self.add_button.setAccessibleName("Ajouter un lot")
        self.remove_button = QPushButton("Supprimer le lot")
        self.remove_button.setAccessibleName("Supprimer le lot sélectionné")
        self.cpv_button = QPushButton("Choisir le code CPV du lot…")
        self.cpv_button.setAccessibleName("Choisir le code CPV du lot sélectionné")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cpv_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Sans lots, le marché est passé en un seul lot : justifiez-le dans la check-list ci-dessous."))
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(self.total)
        layout.addWidget(self.budget)
        layout.addWidget(self.choice_error)
        layout.addLayout(buttons)
        self._loading = False
        self.add_button.clicked.connect(self.add_lot)
        self.remove_button.clicked.connect(self._remove_current)
        self.table.itemChanged.connect(self._cell_changed)
        self.cpv_button.clicked.connect(lambda: self.choose_cpv(self.table.currentRow()))
        self.table.cellDoubleClicked.connect(lambda row, column: self.choose_cpv(row) if column == CPV_COLUMN else None)

    def choose_cpv(self, row: int) -> None:
        """Pick the CPV code of a lot with the CPV picker (the only way to set it)."""
        if self._read_only or row < 0 or row >= self.table.rowCount():
            return
        current = self.table.item(row, CPV_COLUMN)
        code = self.ask_cpv(current.data(Qt.ItemDataRole.UserRole) or "" if current else "")
        if not code:
            return

        def change(d: Dossier) -> None:
            if row < len(d.lots):
                d.lots[row].cpv = code

        self.edited.emit("Choisir le code CPV d'un lot", change, "")

    def _ask_cpv_with_picker(self, initial: str) -> str | None:
        if self._reference is None:
            return None
        from achatsdesk.ui.widgets.cpv_picker import CpvPickerDialog

        dialog = CpvPickerDialog(self._reference, self, initial=initial)
        return dialog.code() if dialog.exec() else None

    def _cpv_text(self, code: str | None) -> str:
        if not code:
            return "À choisir (double-clic)"
        entry = self._reference.get_cpv(code) if self._reference is not None else None
        return f"{code} — {entry.label}" if entry else code

    def add_lot(self) -> None:
        """A new lot without amount: the dossier's estimate stays in force until lot amounts are given."""
        self.edited.emit("Ajouter un lot", lambda d: d.lots.append(Lot(f"Lot {len(d.lots) + 1}")), "")

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.edited.emit("Supprimer un lot", lambda d: d.lots.pop(row) if row < len(d.lots) else None, "")

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        row, column, text = cell.row(), cell.column(), cell.text().strip()
        if column in (CPV_COLUMN, 4):
            return  # the CPV is chosen with the picker; the procedure is read-only
        if column == 3:
            self._small_lot_changed(row, cell.checkState() == Qt.CheckState.Checked)
            return
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
            else:
                lot.amount_eur = amount or Decimal(0)

        self.edited.emit("Modifier un lot", change, f"lot-{row}-{column}")

    def _small_lot_changed(self, row: int, chosen: bool) -> None:
        if self._dossier is None or self._details is None or row >= len(self._details.lots):
            return
        choices, problem = small_lot_choice(self._dossier, self._details, row, chosen)
        if problem:  # refused: the box goes back to what the rules say, the message stays
            self.choice_error.setText(problem)
            self.choice_error.show()
            self._loading = True
            try:
                self.table.item(row, 3).setCheckState(Qt.CheckState.Checked if self._details.lots[row].small_lot
                                                      else Qt.CheckState.Unchecked)
            finally:
                self._loading = False
            return
        self.choice_error.hide()

        def change(d: Dossier) -> None:
            for lot, choice in zip(d.lots, choices, strict=False):
                lot.small_lot = choice

        self.edited.emit("Choisir les petits lots", change, "")

    def show_procedure(self, details: ProcedureAssessment | None) -> None:
        """Each lot's procedure, its small-lot box and the budget, from the rules' assessment."""
        self._details = details
        lots = details.lots if details else []
        self._loading = True
        try:
            for row, lot in enumerate(lots):
                if row >= self.table.rowCount():
                    break
                box = self.table.item(row, 3)
                if box is None:
                    box = QTableWidgetItem()
                    self.table.setItem(row, 3, box)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                box.setFlags(flags if self._read_only else flags | Qt.ItemFlag.ItemIsUserCheckable)
                state = Qt.CheckState.Checked if lot.small_lot else Qt.CheckState.Unchecked
                if box.checkState() != state:
                    box.setCheckState(state)
                eligible = {"mapa": "éligible (procédure adaptée)", "dispense": "éligible (dispense)"}.get(lot.eligible or "")
                box.setToolTip(eligible or "Non éligible aux petits lots")
                text = PROCEDURE_LABELS.get(lot.procedure.id, lot.procedure.id)
                if lot.procedure.publicity is not None and lot.procedure.id not in ("a_renseigner",):
                    text += {"libre": " · publicité libre", "boamp_jal": " · BOAMP ou JAL",
                             "joue_boamp": " · JOUE et BOAMP"}.get(lot.procedure.publicity.id, "")
                cell = self.table.item(row, 4)
                if cell is None:
                    cell = QTableWidgetItem()
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.table.setItem(row, 4, cell)
                if cell.text() != text:
                    cell.setText(text)
                cell.setToolTip(lot.procedure.explanation)
        finally:
            self._loading = False
        small = details.small_lots if details else None
        if small is None:
            self.budget.setText("")
            self.budget.hide()
            return
        self.budget.setText(
            f"Petits lots : {format_amount(small.used_eur)} utilisés sur {format_amount(small.cap_eur)} "
            f"(20 % de la valeur de tous les lots), reste {format_amount(small.remaining_eur)}."
            + (" Proposition d'achatsdesk : cochez ou décochez pour choisir vous-même." if small.proposal else "")
            + ("" if small.within_cap else " Plafond dépassé : retirez un petit lot.")
        )
        self.budget.setToolTip(small.explanation)
        self.budget.show()

    @staticmethod
    def _being_corrected(text: str) -> bool:
        """True when the cell holds a wrong text the buyer is correcting (kept as typed)."""
        try:
            parse_amount(text)
        except ValidationError:
            return True
        return False

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.cpv_button.setEnabled(not read_only)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers if read_only else QTableWidget.EditTrigger.AllEditTriggers)
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)

    def show_dossier(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._loading = True
        try:
            if self.table.rowCount() != len(dossier.lots):
                self.table.setRowCount(len(dossier.lots))
            for row, lot in enumerate(dossier.lots):
                for column, value in enumerate((lot.title, self._cpv_text(lot.cpv), format_amount(lot.amount_eur))):
                    current = self.table.item(row, column)
                    if current is None:
                        current = QTableWidgetItem(value)
                        if column == CPV_COLUMN:
                            current.setFlags(current.flags() & ~Qt.ItemFlag.ItemIsEditable)
                            current.setToolTip("Double-cliquez pour choisir le code CPV du lot dans la nomenclature.")
                        self.table.setItem(row, column, current)
                    elif current.text() != value and not (column == 2 and self._being_corrected(current.text())):
                        current.setText(value)
                    if column == CPV_COLUMN:
                        current.setData(Qt.ItemDataRole.UserRole, lot.cpv or "")
            self.total.setText(_total_text(dossier))
        finally:
            self._loading = False


def _total_text(dossier: Dossier) -> str:
    if not dossier.lots:
        return "Aucun lot."
    if dossier.amount_from_lots:
        return f"Total des lots : {format_amount(dossier.amount_eur)} (c'est le montant retenu pour les seuils)."
    return (f"Aucun montant de lot saisi : le montant estimé du dossier ({format_amount(dossier.amount_eur)}) "
            "reste retenu pour les seuils.")
