"""The insertion sizing with its formula and editable factors:
"1 200 000 € × 80 % × 5 % ÷ 30 €/h = 1 600 h", per lot and pooled."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.insertion import InsertionSizing
from achatsdesk.errors import AchatsdeskError
from achatsdesk.services.clauses import labour_table, size_dossier_insertion


def _spin(name: str, suffix: str, maximum: float, decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))  # "5,0 %" whatever the system
    spin.setAccessibleName(name)
    spin.setSuffix(suffix)
    spin.setDecimals(decimals)
    spin.setRange(0, maximum)
    return spin


class InsertionPanel(QGroupBox):
    """Emits the sizing after every change of the dossier or of a factor."""

    sizing_changed = Signal(object)  # InsertionSizing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dimensionnement des heures d'insertion", parent)
        self.setAccessibleName("Dimensionnement des heures d'insertion")
        table = labour_table()
        self.labour_share = _spin("Part de main-d'œuvre", " %", 100)
        self.labour_share.setSpecialValueText("d'après le code CPV")  # 0 means "from the table"
        self.rate = _spin("Taux d'insertion", " %", 100)
        self.rate.setValue(float(table.default_rate * 100))
        self.hourly_cost = _spin("Coût horaire chargé", " €/h", 500, 2)
        self.hourly_cost.setValue(float(table.default_hourly_cost))
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
        for spin in (self.labour_share, self.rate, self.hourly_cost, self.taken_over):
            spin.valueChanged.connect(self.recompute)

    def factors(self) -> dict:
        share = self.labour_share.value()
        return {
            "labour_share": None if share == 0 else Decimal(str(share)) / 100,
            "rate": Decimal(str(self.rate.value())) / 100,
            "hourly_cost": Decimal(str(self.hourly_cost.value())),
            "taken_over_share": Decimal(str(self.taken_over.value())) / 100,
        }

    def show_dossier(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self.recompute()

    def recompute(self, *_args) -> None:
        if self._dossier is None:
            return
        try:
            self.sizing = size_dossier_insertion(self._dossier, **self.factors())
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
