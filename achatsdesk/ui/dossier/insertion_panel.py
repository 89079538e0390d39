"""The insertion sizing with its formula and editable factors:
"1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h", per lot and pooled.

The factors belong to the dossier (``Dossier.insertion``): the panel shows the
dossier's saved ones and, when the buyer changes one, emits ``factor_edited``
so that the editor records it as an undoable edit and saves it. The sizing is
always computed from the dossier as shown, never from the spin boxes alone.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from achatsdesk.domain.dossier import Dossier, InsertionFactors
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.insertion import InsertionSizing
from achatsdesk.errors import AchatsdeskError
from achatsdesk.services.insertion_sizing import factors_in_force, size_dossier_insertion
from achatsdesk.services.rule_settings import labour_table


def _spin(name: str, suffix: str, maximum: float, decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))  # "5,0 %" whatever the system
    spin.setAccessibleName(name)
    spin.setSuffix(suffix)
    spin.setDecimals(decimals)
    spin.setRange(0, maximum)
    return spin


class InsertionPanel(QGroupBox):
    """Emits the sizing after every change of the dossier; ``factor_edited`` when the buyer changes a factor."""

    sizing_changed = Signal(object)  # InsertionSizing
    factor_edited = Signal(str, object)  # factor name (InsertionFactors field), InsertionFactors after the change

    def __init__(self, parent: QWidget | None = None, *, config: Path | None = None) -> None:
        super().__init__("Dimensionnement des heures d'insertion", parent)
        self.setAccessibleName("Dimensionnement des heures d'insertion")
        self._config = config  # the configuration folder of the window's context (labour shares)
        table = labour_table(config)
        self.labour_share = _spin("Part de main-d'œuvre", " %", 100)
        self.labour_share.setSpecialValueText("d'après le code CPV")  # 0 means "from the table"
        self.rate = _spin("Taux d'insertion", " %", 100)
        self.rate.setValue(float(table.default_rate * 100))
        self.hourly_cost = _spin("Coût horaire chargé", " €/h", 500, 2)
        self.hourly_cost.setValue(float(table.default_hourly_cost))
        self._table = table
        self.taken_over = _spin("Part de personnel repris (propreté)", " %", 100)
        self.formula = QLabel()
        self.formula.setObjectName("insertionFormula")
        self.formula.setWordWrap(True)
        self.formula.setAccessibleName("Formule du calcul des heures")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Sources et arrondi")
        form = QFormLayout()
        form.addRow("Part de main-d'œuvre", self.labour_share)
        form.addRow("Taux d'insertion", self.rate)
        form.addRow("Coût horaire chargé", self.hourly_cost)
        form.addRow("Personnel repris exclu", self.taken_over)
        layout = QVBoxLayout(self)
        layout.addWidget(self.formula)
        layout.addLayout(form)
        layout.addWidget(self.notes)
        self._rounding = table.rounding
        self._dossier: Dossier | None = None
        self.sizing: InsertionSizing | None = None
        self.spins = {
            "labour_share": self.labour_share,
            "rate": self.rate,
            "hourly_cost": self.hourly_cost,
            "taken_over_share": self.taken_over,
        }
        for name, spin in self.spins.items():
            spin.valueChanged.connect(lambda _value, name=name: self._on_spin(name))

    def _spin_value(self, name: str) -> Decimal | None:
        """The factor as typed: percents become ratios; a labour share of 0 means "from the CPV code"."""
        value = Decimal(str(self.spins[name].value()))
        if name == "hourly_cost":
            return value
        if name == "labour_share" and value == 0:
            return None
        return value / 100

    def _on_spin(self, name: str) -> None:
        if self._dossier is None:
            return
        saved = self._dossier.insertion or InsertionFactors()
        value = self._spin_value(name)
        if name == "taken_over_share" and value is None:
            value = Decimal(0)
        self.factor_edited.emit(name, replace(saved, **{name: value}))

    def factors(self) -> dict:
        """The factors in force for the dossier shown (saved ones, else the defaults)."""
        return factors_in_force(self._dossier.insertion if self._dossier else None, self._table)

    def set_read_only(self, read_only: bool) -> None:
        for spin in self.spins.values():
            spin.setReadOnly(read_only)

    def show_dossier(self, dossier: Dossier) -> None:
        """Show the dossier's factors (no edit is emitted for that) and its sizing."""
        self._dossier = dossier
        factors = self.factors()
        shown = {
            "labour_share": 0 if factors["labour_share"] is None else factors["labour_share"] * 100,
            "rate": factors["rate"] * 100,
            "hourly_cost": factors["hourly_cost"],
            "taken_over_share": factors["taken_over_share"] * 100,
        }
        for name, spin in self.spins.items():
            if abs(spin.value() - float(shown[name])) > 1e-9:
                spin.blockSignals(True)
                spin.setValue(float(shown[name]))
                spin.blockSignals(False)
        self.recompute()

    def recompute(self, *_args) -> None:
        if self._dossier is None:
            return
        try:
            self.sizing = size_dossier_insertion(self._dossier, table=labour_table(self._config))
        except AchatsdeskError as exc:
            self.sizing = None
            self.formula.setText(exc.user_message)
            return
        lines = self.sizing.lines
        text = "<br>".join(
            (f"{line.label} : " if len(lines) > 1 else "") + f"<b>{line.formula()}</b>" for line in lines
        )
        if len(lines) > 1:
            text += f"<br>Total mutualisé : <b>{format_number(self.sizing.total_hours)}\u00a0h</b>"
        self.formula.setText(text)
        notes = []
        for line in lines:
            flag = ", à vérifier" if line.share_to_confirm else ""
            notes.append(f"Part de main-d'œuvre ({line.label[:1].lower() + line.label[1:]}{flag}) : {line.share_source}")
        notes.append(self._rounding)
        self.notes.setText("\n".join(notes))
        self.sizing_changed.emit(self.sizing)

    def formula_text(self) -> str:
        return self.sizing.lines[0].formula() if self.sizing and self.sizing.lines else ""
