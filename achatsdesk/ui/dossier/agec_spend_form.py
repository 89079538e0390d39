"""The AGEC art. 58 spend of an awarded lot, entered at execution: for a year and a product
category, the amount bought and, within it, reuse or re-employment, donations and recycled
content. The yearly declaration (dossier returns agec) adds them up per category."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from achatsdesk.errors import AchatsdeskError
from achatsdesk.services.returns import agec_categories, minimum_shares, record_agec_spend


class AgecSpendForm(QGroupBox):
    recorded = Signal()

    def __init__(self, database, dossier_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Dépenses AGEC (art. 58 de la loi 2020-105)", parent)
        self.database, self.dossier_id = database, dossier_id
        form = QFormLayout(self)
        self.lot = QSpinBox()
        self.lot.setRange(1, 999)
        self.lot.setAccessibleName("Lot de la dépense AGEC")
        self.year = QSpinBox()
        self.year.setRange(2024, 2100)
        self.year.setValue(date.today().year)
        self.year.setAccessibleName("Année de la dépense AGEC")
        self.category = QComboBox()
        self.category.setAccessibleName("Catégorie de produits AGEC")
        for number, label in agec_categories().items():
            self.category.addItem(f"{number}. {label}", number)
        self.category.currentIndexChanged.connect(self._show_minimum)
        self.year.valueChanged.connect(self._show_minimum)
        self.amounts = {}
        for key, label in (("total", "Montant total (€ HT)"), ("reuse", "dont réemploi ou réutilisation"),
                           ("donation", "dont produits issus de dons"), ("recycled", "dont matières recyclées")):
            field = QLineEdit("0" if key != "total" else "")
            field.setAccessibleName(label)
            self.amounts[key] = field
        self.minimum = QLabel()
        self.minimum.setWordWrap(True)
        self.minimum.setAccessibleName("Part minimale de la catégorie")
        self.button = QPushButton("Enregistrer la dépense")
        self.button.clicked.connect(self.record)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message des dépenses AGEC")
        form.addRow("Lot", self.lot)
        form.addRow("Année", self.year)
        form.addRow("Catégorie", self.category)
        for field in self.amounts.values():
            form.addRow(field.accessibleName(), field)
        form.addRow(self.minimum)
        form.addRow(self.button)
        form.addRow(self.message)
        self._show_minimum()

    def _show_minimum(self) -> None:
        shares = minimum_shares(int(self.category.currentData()), self.year.value())
        self.minimum.setText(f"Part minimale (décret n° 2024-134) : {shares}. Déclaration avant le 30 juin "
                             f"{self.year.value() + 1}.")

    def record(self) -> None:
        try:
            record_agec_spend(self.database, self.dossier_id, lot=self.lot.value(), year=self.year.value(),
                              category=int(self.category.currentData()),
                              **{key: field.text() or "0" for key, field in self.amounts.items()})
        except AchatsdeskError as exc:
            self.message.setStyleSheet("color:#a00")
            self.message.setText(f"{exc.message} {exc.hint}".strip())
            return
        self.message.setStyleSheet("")
        self.message.setText(f"Dépense {self.year.value()} enregistrée pour la catégorie « "
                             f"{agec_categories()[int(self.category.currentData())]} ».")
        self.recorded.emit()
