"""The buyer's own values for the insertion sizing and the choice of lever.

Labour shares by CPV (with their source and "à vérifier" mark), the default
insertion rate and hourly cost, and the lever thresholds. They are saved as a
copy in the configuration folder; "Rétablir les valeurs livrées" removes it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.geo import DEFAULT_RADIUS_KM
from achatsdesk.errors import AchatsdeskError, ValidationError
from achatsdesk.services.rule_settings import (
    LABOUR_SHARES_FILE,
    LEVER_SETTINGS_FILE,
    reset_settings_document,
    save_settings_document,
    settings_document,
)

SHARE_COLUMNS = ("Préfixe CPV", "Secteur ou métier", "Part (%)", "À vérifier", "Source")


def _spin(name: str, maximum: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setAccessibleName(name)
    return spin


def _double(name: str, suffix: str, maximum: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


class ClauseSettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, config: Path | None = None) -> None:
        super().__init__(parent)
        self.config = config  # the configuration folder (the window's context paths)
        self.setWindowTitle("Réglages : main-d'œuvre et choix du levier")
        self.setAccessibleName("Réglages : main-d'œuvre et choix du levier")
        self.labour = settings_document(LABOUR_SHARES_FILE, config)
        self.lever = settings_document(LEVER_SETTINGS_FILE, config)

        self.shares = QTableWidget(0, len(SHARE_COLUMNS))
        self.shares.setHorizontalHeaderLabels(SHARE_COLUMNS)
        self.shares.setAccessibleName("Parts de main-d'œuvre par code CPV")
        self.shares.verticalHeader().hide()
        self.shares.setMinimumSize(720, 260)
        self.rate = _double("Taux d'insertion par défaut", " %", 100)
        self.hourly_cost = _double("Coût horaire chargé par défaut", " €/h", 500)
        self.contract_min = _spin("Seuil pour réserver le marché (structures)", 10000)
        self.lot_min = _spin("Seuil pour réserver un lot (structures)", 10000)
        self.insertion_min = _spin("Seuil pour une clause d'insertion (structures)", 10000)
        self.dependency = _double("Dépendance économique maximale", " %", 100)
        self.radius = _spin("Rayon de recherche (km)", 1000)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#a00")
        self.problem.setAccessibleName("Problème")

        sizing = QGroupBox("Dimensionnement des heures d'insertion")
        sizing_layout = QVBoxLayout(sizing)
        sizing_layout.addWidget(self.shares)
        defaults = QFormLayout()
        defaults.addRow("Taux d'insertion par défaut", self.rate)
        defaults.addRow("Coût horaire chargé par défaut", self.hourly_cost)
        sizing_layout.addLayout(defaults)
        levers = QGroupBox("Choix du levier (repères du Marché de l'inclusion, pas des règles de droit)")
        lever_form = QFormLayout(levers)
        lever_form.addRow("Réserver le marché au-delà de", self.contract_min)
        lever_form.addRow("Réserver un lot au-delà de", self.lot_min)
        lever_form.addRow("Clause d'insertion au-delà de", self.insertion_min)
        lever_form.addRow("Dépendance économique inférieure à", self.dependency)
        lever_form.addRow("Rayon autour du lieu d'exécution", self.radius)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.reset_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.reset_button.setText("Rétablir les valeurs livrées")
        self.reset_button.clicked.connect(self.reset)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(sizing, 1)
        layout.addWidget(levers)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._show()

    def _show(self) -> None:
        rows = self.labour["shares"]
        self.shares.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            values = (entry["cpv_prefix"], entry["label"], f"{float(entry['share']) * 100:g}", "", entry.get("source", ""))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (0, 1):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == 3:
                    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                    item.setCheckState(Qt.CheckState.Checked if entry.get("to_confirm", True) else Qt.CheckState.Unchecked)
                self.shares.setItem(row, column, item)
        self.shares.resizeColumnsToContents()
        defaults = self.labour["defaults"]
        self.rate.setValue(float(defaults["insertion_rate"]) * 100)
        self.hourly_cost.setValue(float(defaults["hourly_cost_eur"]))
        self.contract_min.setValue(int(self.lever["reserve_contract_min_suppliers"]))
        self.lot_min.setValue(int(self.lever["reserve_lot_min_suppliers"]))
        self.insertion_min.setValue(int(self.lever["insertion_clause_min_suppliers"]))
        self.dependency.setValue(float(self.lever["max_dependency"]) * 100)
        self.radius.setValue(int(self.lever.get("radius_km", DEFAULT_RADIUS_KM)))

    def _collect(self) -> None:
        for row, entry in enumerate(self.labour["shares"]):
            text = self.shares.item(row, 2).text().replace(",", ".").replace("%", "").strip()
            try:
                share = float(text) / 100
            except ValueError:
                raise ValidationError(
                    f"La part de main-d'œuvre « {self.shares.item(row, 2).text()} » ({entry['label']}) n'est pas un nombre.",
                    hint="Saisissez un pourcentage entre 0 et 100.",
                ) from None
            entry["share"] = round(share, 4)
            entry["to_confirm"] = self.shares.item(row, 3).checkState() == Qt.CheckState.Checked
            entry["source"] = self.shares.item(row, 4).text()
        self.labour["defaults"]["insertion_rate"] = round(self.rate.value() / 100, 4)
        self.labour["defaults"]["hourly_cost_eur"] = self.hourly_cost.value()
        self.lever.update(
            reserve_contract_min_suppliers=self.contract_min.value(),
            reserve_lot_min_suppliers=self.lot_min.value(),
            insertion_clause_min_suppliers=self.insertion_min.value(),
            max_dependency=round(self.dependency.value() / 100, 4),
            radius_km=self.radius.value(),
        )

    def save(self) -> None:
        try:
            self._collect()
            save_settings_document(LABOUR_SHARES_FILE, self.labour, self.config)
            save_settings_document(LEVER_SETTINGS_FILE, self.lever, self.config)
        except AchatsdeskError as exc:
            self.problem.setText(exc.user_message)
            return
        self.accept()

    def reset(self) -> None:
        reset_settings_document(LABOUR_SHARES_FILE, self.config)
        reset_settings_document(LEVER_SETTINGS_FILE, self.config)
        self.labour = settings_document(LABOUR_SHARES_FILE, self.config)
        self.lever = settings_document(LEVER_SETTINGS_FILE, self.config)
        self._show()
