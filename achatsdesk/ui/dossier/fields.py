"""The buyer's description of the procurement (step Besoin et sourcing).

Each widget reports an edit as (label, function changing a Dossier, merge
key); the editor turns it into an undoable command. ``show_dossier`` puts
values back without emitting anything (after undo, redo or a reload).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier import BUYER_KIND_LABELS, NATURE_LABELS, BuyerKind, Dossier, Nature
from achatsdesk.services.reference import ReferenceService
from achatsdesk.ui.dossier.amount_edit import AmountEdit, error_label
from achatsdesk.ui.widgets.commune_picker import CommunePicker
from achatsdesk.ui.widgets.date_field import DateField

Mutation = Callable[[Dossier], None]


class DossierFields(QWidget):
    edited = Signal(str, object, str)  # label, mutation, merge key

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self.title = self._line("Intitulé du dossier", "ex. Nettoyage des collèges")
        self.reference = self._line("Référence de la consultation", "ex. 2026-DAJ-012")
        self.buyer_name = self._line("Nom de l'acheteur", "ex. Département du Val-d'Oise")
        self.buyer_kind = QComboBox()
        for kind in BuyerKind:
            self.buyer_kind.addItem(BUYER_KIND_LABELS[kind], kind.value)
        self.buyer_kind.setAccessibleName("Type d'acheteur")
        self.annual = AmountEdit("Montant annuel des achats de l'acheteur")
        self.nature = QComboBox()
        for nature in Nature:
            self.nature.addItem(NATURE_LABELS[nature], nature.value)
        self.nature.setAccessibleName("Nature du marché")
        self.cpv_list = QListWidget()
        self.cpv_list.setAccessibleName("Codes CPV (le premier est le code principal)")
        self.cpv_list.setMaximumHeight(90)
        self.add_cpv_button = QPushButton("Ajouter un code CPV…")
        self.add_cpv_button.setAccessibleName("Ajouter un code CPV")
        self.remove_cpv_button = QPushButton("Retirer le code")
        self.remove_cpv_button.setAccessibleName("Retirer le code CPV sélectionné")
        self.amount = AmountEdit("Montant estimé en euros HT, options et reconductions comprises")
        self.annual_error = error_label("Erreur de saisie des achats annuels")
        self.amount_error = error_label("Erreur de saisie du montant estimé")
        for edit, label in ((self.annual, self.annual_error), (self.amount, self.amount_error)):
            edit.error_changed.connect(lambda message, label=label: (label.setText(message), label.setVisible(bool(message))))
        self.duration = QSpinBox()
        self.duration.setRange(0, 240)
        self.duration.setSuffix(" mois")
        self.duration.setSpecialValueText("Non renseignée")
        self.duration.setAccessibleName("Durée du marché en mois")
        self.place = CommunePicker(reference)
        self.place.setAccessibleName("Lieu d'exécution (commune)")
        self.launch = DateField("Date de lancement de la consultation")
        # Which amount the rules use: the estimate, or the sum of the lots once lot amounts are given.
        self.amount_basis = QLabel()
        self.amount_basis.setObjectName("amountBasis")
        self.amount_basis.setWordWrap(True)
        self.amount_basis.setAccessibleName("Montant retenu pour les seuils")

        cpv_buttons = QHBoxLayout()
        cpv_buttons.addWidget(self.add_cpv_button)
        cpv_buttons.addWidget(self.remove_cpv_button)
        cpv_box = QVBoxLayout()
        cpv_box.addWidget(self.cpv_list)
        cpv_box.addLayout(cpv_buttons)
        form = QFormLayout(self)
        form.addRow("Intitulé", self.title)
        form.addRow("Référence", self.reference)
        form.addRow("Acheteur", self.buyer_name)
        form.addRow("Type d'acheteur", self.buyer_kind)
        form.addRow("Achats annuels (€ HT)", self.annual)
        form.addRow("", self.annual_error)
        form.addRow("Nature", self.nature)
        form.addRow("Codes CPV", cpv_box)
        form.addRow("Montant estimé (€ HT)", self.amount)
        form.addRow("", self.amount_error)
        form.addRow("", self.amount_basis)
        form.addRow("Durée", self.duration)
        form.addRow("Lieu d'exécution", self.place)
        form.addRow("Date de lancement", self.launch)

        self.title.textEdited.connect(lambda t: self._emit("Modifier l'intitulé", lambda d: setattr(d, "title", t), "title"))
        self.reference.textEdited.connect(lambda t: self._emit("Modifier la référence", lambda d: setattr(d, "reference", t), "reference"))
        self.buyer_name.textEdited.connect(lambda t: self._emit("Modifier l'acheteur", lambda d: setattr(d.buyer, "name", t), "buyer"))
        self.buyer_kind.activated.connect(lambda _i: self._emit(
            "Modifier le type d'acheteur", lambda d: setattr(d.buyer, "kind", BuyerKind(self.buyer_kind.currentData())), ""))
        self.annual.value_changed.connect(lambda v: self._emit(
            "Modifier les achats annuels", lambda d: setattr(d.buyer, "annual_purchases_eur", v), "annual"))
        self.nature.activated.connect(lambda _i: self._emit(
            "Modifier la nature", lambda d: setattr(d, "nature", Nature(self.nature.currentData())), ""))
        self.amount.value_changed.connect(lambda v: self._emit(
            "Modifier le montant", lambda d: setattr(d, "estimated_amount_eur", v or Decimal(0)), "amount"))
        self.duration.valueChanged.connect(lambda v: self._emit(
            "Modifier la durée", lambda d: setattr(d, "duration_months", v or None), "duration"))
        self.place.commune_selected.connect(lambda insee: self._emit(
            "Modifier le lieu d'exécution", lambda d: setattr(d, "place_insee", insee), ""))
        self.launch.date_changed.connect(lambda day: self._emit(
            "Modifier la date de lancement", lambda d: setattr(d, "launch_date", day), "launch"))
        self.add_cpv_button.clicked.connect(self._pick_cpv)
        self.remove_cpv_button.clicked.connect(self._remove_selected_cpv)
        self._loading = False

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setPlaceholderText(placeholder)
        return line

    def _emit(self, label: str, mutation: Mutation, key: str) -> None:
        if not self._loading:
            self.edited.emit(label, mutation, key)

    # --- CPV -----------------------------------------------------------------
    def add_cpv(self, code: str) -> None:
        self._emit("Ajouter un code CPV", lambda d: d.cpv.append(code) if code not in d.cpv else None, "")

    def remove_cpv(self, code: str) -> None:
        self._emit("Retirer un code CPV", lambda d: d.cpv.remove(code) if code in d.cpv else None, "")

    def _pick_cpv(self) -> None:
        from achatsdesk.ui.widgets.cpv_picker import CpvPickerDialog

        dialog = CpvPickerDialog(self._reference, self)
        if dialog.exec() and dialog.code():
            self.add_cpv(dialog.code())

    def _remove_selected_cpv(self) -> None:
        item = self.cpv_list.currentItem()
        if item is not None:
            self.remove_cpv(item.data(256))

    # --- showing --------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        # Read-only fields look it (grey background), not like fields one could type in.
        self.setStyleSheet("QLineEdit[readOnly=\"true\"] { background: #eef0f3; color: #333; }" if read_only else "")
        for line in (self.title, self.reference, self.buyer_name, self.annual, self.amount, self.place, self.launch):
            line.setReadOnly(read_only)
        for widget in (self.buyer_kind, self.nature, self.duration, self.add_cpv_button, self.remove_cpv_button):
            widget.setEnabled(not read_only)

    def show_dossier(self, dossier: Dossier) -> None:
        self._loading = True
        try:
            for line, value in ((self.title, dossier.title), (self.reference, dossier.reference),
                                (self.buyer_name, dossier.buyer.name)):
                if line.text() != value:
                    line.setText(value)
            self.buyer_kind.setCurrentIndex(self.buyer_kind.findData(dossier.buyer.kind.value))
            self.nature.setCurrentIndex(self.nature.findData(dossier.nature.value))
            self.annual.set_value(dossier.buyer.annual_purchases_eur)
            self.amount.set_value(dossier.estimated_amount_eur or None)
            self.duration.setValue(dossier.duration_months or 0)
            self.launch.set_value(dossier.launch_date)
            self.amount_basis.setText(amount_basis_text(dossier))
            self.amount_basis.setVisible(bool(self.amount_basis.text()))
            selected = self.place.selected()
            if (selected.insee if selected else None) != dossier.place_insee:
                self.place.set_insee(dossier.place_insee)
            self._show_cpv(dossier.cpv)
        finally:
            self._loading = False

    def _show_cpv(self, codes: list[str]) -> None:
        shown = [self.cpv_list.item(i).data(256) for i in range(self.cpv_list.count())]
        if shown == codes:
            return
        self.cpv_list.clear()
        for index, code in enumerate(codes):
            entry = self._reference.get_cpv(code)
            label = f"{code} — {entry.label}" if entry else code
            item = QListWidgetItem(f"{label}{' (principal)' if index == 0 else ''}")
            item.setData(256, code)
            self.cpv_list.addItem(item)


def amount_basis_text(dossier: Dossier) -> str:
    """Say which figure the thresholds use, so that the field and the panel never seem to disagree."""
    from achatsdesk.domain.dossier import format_amount

    if dossier.amount_from_lots:
        return (f"Montant retenu pour les seuils : {format_amount(dossier.amount_eur)}, somme des montants des lots "
                "(étape Allotissement).")
    if dossier.lots:
        return (f"Montant retenu pour les seuils : {format_amount(dossier.amount_eur)}, le montant estimé ci-dessus, "
                "tant qu'aucun montant de lot n'est saisi.")
    return ""
