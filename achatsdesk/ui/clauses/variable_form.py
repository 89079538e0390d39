"""A form with one typed editor per clause variable; emits the values as they change.

Percent editors show and return a number of percent (5 for 5 %), money editors
euros HT, as the clause templates expect.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from achatsdesk.domain.clauses import ClauseTemplate, ClauseVariable

_BIG = 2_000_000_000


class VariableForm(QWidget):
    values_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Variables de la clause")
        self._layout = QFormLayout(self)
        self._editors: dict[str, QWidget] = {}
        self._variables: tuple[ClauseVariable, ...] = ()
        self._loading = False

    def show_clause(self, clause: ClauseTemplate | None, values: dict[str, Any] | None = None) -> None:
        merged = {**(clause.defaults() if clause else {}), **(values or {})}
        if (clause is not None and clause.variables and clause.variables == self._variables
                and all(merged.get(v.name) is not None for v in self._variables)):
            # The same clause with new values (a keystroke elsewhere changed a pre-filled figure):
            # set them in the existing editors instead of recreating the form.
            self._loading = True
            for variable in self._variables:
                self._set(variable, merged[variable.name])
            self._loading = False
            return
        self._loading = True
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors.clear()
        self._variables = clause.variables if clause else ()
        if clause is not None and not clause.variables:
            self._layout.addRow(QLabel("Cette clause n'a pas de variable."))
        for variable in self._variables:
            editor = self._make_editor(variable)
            self._editors[variable.name] = editor
            label = QLabel(variable.label + ("" if variable.required else " (facultatif)"))
            label.setBuddy(editor)
            hint = variable.help
            if variable.examples:  # a text only the buyer can write: examples, never a stock value
                hint += "\nExemples :\n" + "\n".join(f"– {example}" for example in variable.examples)
            if hint:
                editor.setToolTip(hint.strip())
            if variable.to_write and hasattr(editor, "setPlaceholderText"):
                editor.setPlaceholderText("À rédiger : propre à ce marché")
            self._layout.addRow(label, editor)
        for variable in self._variables:
            if merged.get(variable.name) is not None:
                self._set(variable, merged[variable.name])
        self._loading = False

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    def _make_editor(self, variable: ClauseVariable) -> QWidget:
        kind = variable.type
        if kind == "integer":
            editor = QSpinBox()
            editor.setRange(int(variable.minimum) if variable.minimum is not None else -_BIG,
                            int(variable.maximum) if variable.maximum is not None else _BIG)
            editor.setGroupSeparatorShown(True)
            editor.valueChanged.connect(self._emit)
        elif kind in ("decimal", "percent", "money"):
            editor = QDoubleSpinBox()
            editor.setDecimals(2)
            editor.setRange(float(variable.minimum) if variable.minimum is not None else -_BIG,
                            float(variable.maximum) if variable.maximum is not None else _BIG)
            editor.setGroupSeparatorShown(True)
            if kind == "percent":
                editor.setSuffix(" %")
            elif kind == "money":
                editor.setSuffix(" € HT")
            editor.valueChanged.connect(self._emit)
        elif kind == "choice":
            editor = QComboBox()
            editor.addItems(list(variable.choices))
            editor.currentIndexChanged.connect(self._emit)
        elif kind == "date":
            editor = QDateEdit()
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("dd/MM/yyyy")
            editor.dateChanged.connect(self._emit)
        else:
            editor = QLineEdit()
            if variable.maximum is not None:
                editor.setMaxLength(int(variable.maximum))
            editor.textChanged.connect(self._emit)
        editor.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))  # "1 200,50" whatever the system
        editor.setAccessibleName(variable.label)
        editor.setObjectName(f"var-{variable.name}")
        return editor

    def _set(self, variable: ClauseVariable, value: Any) -> None:
        editor = self._editors[variable.name]
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value))
        elif isinstance(editor, QComboBox):
            index = editor.findText(str(value))
            if index >= 0:
                editor.setCurrentIndex(index)
        elif isinstance(editor, QDateEdit):
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            editor.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def set_value(self, name: str, value: Any) -> None:
        variable = next(v for v in self._variables if v.name == name)
        self._set(variable, value)

    def values(self) -> dict[str, Any]:
        """Plain JSON-friendly values, as the dossier stores them."""
        out: dict[str, Any] = {}
        for variable in self._variables:
            editor = self._editors[variable.name]
            if isinstance(editor, QSpinBox):
                out[variable.name] = editor.value()
            elif isinstance(editor, QDoubleSpinBox):
                number = Decimal(str(round(editor.value(), 2)))
                out[variable.name] = int(number) if number == number.to_integral_value() else float(number)
            elif isinstance(editor, QComboBox):
                out[variable.name] = editor.currentText()
            elif isinstance(editor, QDateEdit):
                out[variable.name] = editor.date().toPython().isoformat()
            elif isinstance(editor, QLineEdit):
                out[variable.name] = editor.text()
        return out

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.values_changed.emit(self.values())
