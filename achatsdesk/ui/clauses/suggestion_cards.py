"""Suggested clauses as cards: title, why it is suggested, the document it goes in,
"Ajouter au dossier"; once added, its variables (pre-filled from the dossier) are
editable under the card with the live wording."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from achatsdesk.domain.suggestions import Suggestion
from achatsdesk.ui.clauses.preview import ClausePreview
from achatsdesk.ui.clauses.variable_form import VariableForm


class SuggestionCard(QFrame):
    add_requested = Signal(str, dict)  # clause id, variables
    remove_requested = Signal(str)
    variables_edited = Signal(str, dict)

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
        self.details_button = QPushButton("Variables et rédaction")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(f"Variables et rédaction : {clause.title}")
        self.details_button.toggled.connect(self._toggle_details)
        self.form = VariableForm()
        self.preview = ClausePreview()
        self.details = QWidget()
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.form)
        details_layout.addWidget(self.preview)
        self.details.hide()
        self.selected = False

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.document)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(head)
        layout.addWidget(self.why)
        layout.addLayout(buttons)
        layout.addWidget(self.details)
        self.form.values_changed.connect(self._on_values)
        self.show_values(suggestion.variables)

    def show_values(self, values: dict[str, Any]) -> None:
        self.form.show_clause(self.suggestion.clause, values)
        self.preview.show_clause(self.suggestion.clause, self.form.values())

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
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
        if self.selected:
            self.variables_edited.emit(self.suggestion.clause.id, values)
