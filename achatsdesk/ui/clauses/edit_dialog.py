"""Edit the user's own clause (a copy of a shipped one, or a new one): title, family,
kind, target document, legal basis and wording.

The wording is checked like an imported clause (syntax, declared variables, no
access to internals) before it is saved; the problem is shown in French.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.clause_sandbox import FILTER_LABELS
from achatsdesk.domain.clauses import (
    DOCUMENTS,
    FAMILY_LABELS,
    KIND_LABELS,
    ClauseTemplate,
    validate_clause,
)
from achatsdesk.errors import AchatsdeskError


class ClauseEditDialog(QDialog):
    def __init__(self, clause: ClauseTemplate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Modifier votre clause")
        self.setAccessibleName("Modifier votre clause")
        self._clause = clause
        self.result_clause: ClauseTemplate | None = None
        self.title = QLineEdit(clause.title)
        self.title.setAccessibleName("Titre de la clause")
        self.family = self._combo("Famille", FAMILY_LABELS, clause.family)
        self.kind = self._combo("Nature", KIND_LABELS, clause.kind)
        self.document = self._combo("Document", {d: d for d in DOCUMENTS}, clause.document)
        self.legal_basis = QLineEdit(clause.legal_basis)
        self.legal_basis.setAccessibleName("Base légale")
        self.body = QPlainTextEdit(clause.body)
        self.body.setAccessibleName("Rédaction de la clause")
        self.body.setMinimumSize(560, 260)
        names = ", ".join("{{ " + v.name + " }}" for v in clause.variables) or "aucune"
        filters = " ; ".join(f"« |{name} » : {label}" for name, label in FILTER_LABELS.items())
        hint = QLabel(f"Variables utilisables : {names}. Mises en forme, à écrire après la variable, "
                      f"par exemple {{{{ montant|montant }}}} : {filters}.")
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#a00")
        self.problem.setAccessibleName("Problème")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Titre", self.title)
        form.addRow("Famille", self.family)
        form.addRow("Nature", self.kind)
        form.addRow("Document", self.document)
        form.addRow("Base légale", self.legal_basis)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    @staticmethod
    def _combo(name: str, labels: dict[str, str], current: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for key, label in labels.items():
            combo.addItem(label, key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def try_accept(self) -> None:
        edited = replace(
            self._clause,
            title=self.title.text().strip() or self._clause.title,
            family=self.family.currentData(),
            kind=self.kind.currentData(),
            document=self.document.currentData(),
            legal_basis=self.legal_basis.text().strip() or self._clause.legal_basis,
            body=self.body.toPlainText(),
            version=_next_version(self._clause.version),
        )
        try:
            validate_clause(edited)
        except AchatsdeskError as exc:
            self.problem.setText(exc.user_message)
            return
        self.result_clause = edited
        self.accept()


def _next_version(version: str) -> str:
    major, _, minor = version.partition(".")
    return f"{major}.{int(minor) + 1}" if minor.isdigit() else f"{version}.1"
