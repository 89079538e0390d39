"""What kind of contract the dossier is, and what its amount includes (step Besoin et sourcing).

The kind of contract (marché, accord-cadre with its maximum, défense ou sécurité,
concession), what the estimated amount includes (options, reconductions, primes:
R2121-1) and, for works or services, the AGEC categories of supplies the contract
includes (loi AGEC art. 58). The rules read them: see domain/procedure.py.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGridLayout, QVBoxLayout, QWidget

from achatsdesk.domain.dossier import AMOUNT_INCLUDES, CONTRACT_KIND_LABELS, ContractKind, Dossier
from achatsdesk.ui.dossier.amount_edit import AmountEdit, error_label


class ContractFields(QWidget):
    edited = Signal(str, object, str)  # label, mutation, merge key

    def __init__(self, agec_categories: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.kind = QComboBox()
        for kind in ContractKind:
            self.kind.addItem(CONTRACT_KIND_LABELS[kind], kind.value)
        self.kind.setAccessibleName("Type de contrat")
        self.framework_max = AmountEdit("Montant maximum de l'accord-cadre")
        self.framework_error = error_label("Erreur de saisie du montant maximum")
        self.includes = {key: QCheckBox(label) for key, label in AMOUNT_INCLUDES.items()}
        # One box under the other, and one column of AGEC categories: their labels are long, and two
        # side by side pushed the form wider than a 1366-pixel screen (the last ones were cut).
        includes_box = QVBoxLayout()
        for key, box in self.includes.items():
            box.setAccessibleName(f"Le montant comprend {AMOUNT_INCLUDES[key]}")
            includes_box.addWidget(box)
        self.agec = {cid: QCheckBox(label) for cid, label in agec_categories}
        agec_grid = QGridLayout()
        for n, box in enumerate(self.agec.values()):
            box.setAccessibleName(f"Fournitures comprises : {box.text()}")
            agec_grid.addWidget(box, n, 0)
        self.agec_row = QWidget()
        self.agec_row.setLayout(agec_grid)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Type de contrat", self.kind)
        form.addRow("Maximum de l'accord-cadre (€ HT)", self.framework_max)
        form.addRow("", self.framework_error)
        form.addRow("Le montant comprend", includes_box)
        form.addRow("Fournitures AGEC comprises", self.agec_row)
        self._form = form

        self.kind.activated.connect(lambda _i: self._emit(
            "Modifier le type de contrat", lambda d: setattr(d, "contract_kind", ContractKind(self.kind.currentData())), ""))
        self.framework_max.value_changed.connect(lambda v: self._emit(
            "Modifier le maximum de l'accord-cadre", lambda d: setattr(d, "framework_max_eur", v), "framework-max"))
        self.framework_max.error_changed.connect(self._show_error)
        for key, box in self.includes.items():
            box.toggled.connect(lambda on, key=key: self._emit(
                "Modifier ce que comprend le montant", lambda d: _toggle(d.amount_includes, key, on, AMOUNT_INCLUDES), ""))
        for cid, box in self.agec.items():
            box.toggled.connect(lambda on, cid=cid: self._emit(
                "Modifier les fournitures AGEC comprises",
                lambda d: _toggle(d.agec_included_supplies, cid, on, self.agec), ""))

    def _show_error(self, message: str) -> None:
        self.framework_error.setText(message)
        self.framework_error.setVisible(bool(message))

    def _emit(self, label: str, mutation, key: str) -> None:
        if not self._loading:
            self.edited.emit(label, mutation, key)

    def set_read_only(self, read_only: bool) -> None:
        self.framework_max.setReadOnly(read_only)
        for widget in (self.kind, *self.includes.values(), *self.agec.values()):
            widget.setEnabled(not read_only)

    def show_dossier(self, dossier: Dossier) -> None:
        self._loading = True
        try:
            self.kind.setCurrentIndex(self.kind.findData(dossier.contract_kind.value))
            framework = dossier.contract_kind == ContractKind.ACCORD_CADRE
            self._form.setRowVisible(self.framework_max, framework)
            if framework:
                self.framework_max.set_value(dossier.framework_max_eur)
            for key, box in self.includes.items():
                box.setChecked(key in dossier.amount_includes)
            self._form.setRowVisible(self.agec_row, dossier.nature.value in ("travaux", "services"))
            for cid, box in self.agec.items():
                box.setChecked(cid in dossier.agec_included_supplies)
        finally:
            self._loading = False


def _toggle(values: list[str], key: str, on: bool, order) -> None:
    """Add or remove ``key``, keeping the data's order (stable JSON, stable undo snapshots)."""
    chosen = {v for v in values if v != key} | ({key} if on else set())
    values[:] = [k for k in order if k in chosen]


