"""Suggested clauses as cards: title, why it is suggested, the document it goes in,
"Ajouter au dossier"; once added, its variables (pre-filled from the dossier) are
editable under the card with the live wording.

A clause sized per lot (insertion hours) in a dossier with lots also offers
"Ajouter lot par lot": one selection per lot, each with its own hours, instead
of one for the whole contract with the pooled total. Once added lot by lot, a
"Valeurs du lot" chooser above the form says which lot's values are shown and
edited."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.suggestions import Suggestion
from achatsdesk.ui.clauses.preview import ClausePreview
from achatsdesk.ui.clauses.variable_form import VariableForm


class SuggestionCard(QFrame):
    add_requested = Signal(str, dict)  # clause id, variables
    add_per_lot_requested = Signal(str)  # clause id: one selection per lot, from suggestion.lot_variables
    remove_requested = Signal(str)
    variables_edited = Signal(str, dict)
    lot_variables_edited = Signal(str, int, dict)  # clause id, lot index, variables

    def __init__(self, suggestion: Suggestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        clause = suggestion.clause
        self.setObjectName(f"card-{clause.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Clause suggérée : {clause.title}")
        self.title = QLabel(f"<b>{clause.title}</b>")
        self.title.setWordWrap(True)
        self.document = QLabel(f"{clause.document} · {clause.kind_label}")
        self.document.setAccessibleName("Document et nature")
        self.why = QLabel("Pourquoi : " + suggestion.why)
        self.why.setWordWrap(True)
        self.why.setAccessibleName("Pourquoi cette clause")
        self.add_button = QPushButton("Ajouter au dossier")
        self.add_button.setAccessibleName(f"Ajouter au dossier : {clause.title}")
        self.add_button.clicked.connect(self._on_add)
        self.per_lot_button = QPushButton("Ajouter lot par lot")
        self.per_lot_button.setAccessibleName(f"Ajouter lot par lot : {clause.title}")
        self.per_lot_button.setToolTip("Une clause par lot, chacune avec les heures de son lot")
        self.per_lot_button.clicked.connect(lambda: self.add_per_lot_requested.emit(self.suggestion.clause.id))
        self.per_lot = QLabel()
        self.per_lot.setWordWrap(True)
        self.per_lot.setAccessibleName("Heures par lot")
        self.details_button = QPushButton("Variables et rédaction")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(f"Variables et rédaction : {clause.title}")
        self.details_button.toggled.connect(self._toggle_details)
        self.lot_choice = QComboBox()
        self.lot_choice.setAccessibleName("Lot dont les valeurs sont affichées")
        self.lot_choice.currentIndexChanged.connect(lambda _i: self._show_current_lot())
        self.lot_row = QWidget()
        lot_layout = QHBoxLayout(self.lot_row)
        lot_layout.setContentsMargins(0, 0, 0, 0)
        lot_label = QLabel("Valeurs du lot :")
        lot_label.setBuddy(self.lot_choice)
        lot_layout.addWidget(lot_label)
        lot_layout.addWidget(self.lot_choice, 1)
        self._lot_values: dict[int, dict[str, Any]] = {}
        self.form = VariableForm()
        self.preview = ClausePreview()
        self.details = QWidget()
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.lot_row)
        details_layout.addWidget(self.form)
        details_layout.addWidget(self.preview)
        self.details.hide()
        self.selected = False
        self.selected_per_lot = False

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.document)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.per_lot_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(head)
        layout.addWidget(self.why)
        layout.addWidget(self.per_lot)
        layout.addLayout(buttons)
        layout.addWidget(self.details)
        self.form.values_changed.connect(self._on_values)
        self.show_values(suggestion.variables)
        self.show_lots({})
        self.lot_row.hide()
        self.set_selected(False)

    def show_lots(self, chosen: dict[int, dict[str, Any]]) -> None:
        """The per-lot values: those chosen lot by lot when so, else the suggested ones."""
        hours_names = [v.name for v in self.suggestion.clause.variables if v.prefill == "insertion_hours"]
        lots = self.suggestion.lot_variables
        if not lots or not hours_names:
            self.per_lot.hide()
            return
        parts = []
        for lot in lots:
            values = chosen.get(lot.lot, lot.variables)
            hours = values.get(hours_names[0])
            parts.append(f"{lot.label} : {format_number(hours)}\u00a0h" if hours is not None else lot.label)
        head = "Retenue lot par lot" if chosen else "Heures par lot"
        self.per_lot.setText(f"{head} : " + " ; ".join(parts))
        self.per_lot.show()

    def show_lot_selections(self, chosen: dict[int, dict[str, Any]]) -> None:
        """The values chosen lot by lot (lot index -> variables); empty when not chosen so."""
        had_lots = bool(self._lot_values)
        self._lot_values = dict(chosen)
        self.lot_row.setVisible(bool(chosen))
        if not chosen:
            if had_lots:  # removed, or chosen for the whole contract: back to the one form
                self.show_values(self.suggestion.variables)
            return
        labels = {lot.lot: lot.label for lot in self.suggestion.lot_variables}
        lots = sorted(chosen)
        current = self.current_lot()
        if [self.lot_choice.itemData(i) for i in range(self.lot_choice.count())] != lots:
            self.lot_choice.blockSignals(True)
            self.lot_choice.clear()
            for lot in lots:
                self.lot_choice.addItem(labels.get(lot, f"Lot {lot + 1}"), lot)
            self.lot_choice.setCurrentIndex(lots.index(current) if current in lots else 0)
            self.lot_choice.blockSignals(False)
            self._show_current_lot()
        elif any(self.form.values().get(k) != v for k, v in chosen[self.current_lot()].items()):
            self._show_current_lot()  # changed elsewhere (undo, sizing factors)

    def current_lot(self) -> int | None:
        return self.lot_choice.currentData() if self._lot_values else None

    def _show_current_lot(self) -> None:
        lot = self.current_lot()
        if lot is not None and lot in self._lot_values:
            self.show_values(self._lot_values[lot])

    def show_values(self, values: dict[str, Any]) -> None:
        self.form.show_clause(self.suggestion.clause, values)
        self.preview.show_clause(self.suggestion.clause, self.form.values())

    def set_selected(self, selected: bool, per_lot: bool = False) -> None:
        self.selected = selected
        self.selected_per_lot = selected and per_lot
        self.per_lot_button.setVisible(bool(self.suggestion.lot_variables) and not selected)
        self.add_button.setText("Retirer du dossier" if selected else "Ajouter au dossier")
        self.add_button.setAccessibleName(
            f"{'Retirer du dossier' if selected else 'Ajouter au dossier'} : {self.suggestion.clause.title}"
        )

    def _on_add(self) -> None:
        if self.selected:
            self.remove_requested.emit(self.suggestion.clause.id)
        else:
            self.add_requested.emit(self.suggestion.clause.id, self.form.values())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)

    def _on_values(self, values: dict) -> None:
        self.preview.show_clause(self.suggestion.clause, values)
        if self.selected and not self.selected_per_lot:
            self.variables_edited.emit(self.suggestion.clause.id, values)
        elif self.selected_per_lot and self.current_lot() is not None:
            self._lot_values[self.current_lot()] = dict(values)
            self.lot_variables_edited.emit(self.suggestion.clause.id, self.current_lot(), values)
