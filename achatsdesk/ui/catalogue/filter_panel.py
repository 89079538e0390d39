"""Filters of the catalogue: kind chips, sector, département, a place and a radius."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QToolButton,
    QWidget,
)

from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.geo import DEFAULT_RADIUS_KM
from achatsdesk.services.catalogue import SectorInfo
from achatsdesk.services.reference import ReferenceService
from achatsdesk.services.supplier_kinds import KIND_GROUPS
from achatsdesk.ui.widgets.commune_picker import CommunePicker

CHIPS = ("Insertion (SIAE)", "Handicap (EA, ESAT)", "GEIQ")
PRESET = "preset"  # data of the sector entry set from a dossier's CPV code (several sectors at once)


@dataclass(frozen=True)
class FilterState:
    kinds: tuple[str, ...]
    sector: str | None  # sector id as text, or a group name
    departement: str | None
    near_insee: str | None
    radius_km: float
    preset_sectors: tuple[str, ...] = ()  # sector slugs from a dossier, when its entry is chosen

    def sector_values(self) -> list[str]:
        """What the search filters on: the chosen sector or family, else the dossier's sectors."""
        return [self.sector] if self.sector else list(self.preset_sectors)


class FilterPanel(QWidget):
    changed = Signal()

    def __init__(self, reference: ReferenceService, sectors: list[SectorInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._preset: tuple[str, ...] = ()
        self.chips: dict[str, QToolButton] = {}
        for name in CHIPS:
            chip = QToolButton()
            chip.setText(name)
            chip.setCheckable(True)
            chip.setAccessibleName(f"Filtrer : {name}")
            chip.setToolTip("Structures de type " + ", ".join(KIND_GROUPS[name]))
            chip.toggled.connect(self.changed)
            layout.addWidget(chip)
            self.chips[name] = chip
        self.sector = QComboBox()
        self.sector.setAccessibleName("Secteur d'activité")
        self.sector.addItem("Tous les secteurs", None)
        current_group = None
        for info in sectors:
            if info.group_name != current_group:
                current_group = info.group_name
                self.sector.addItem(f"▸ {info.group_name} (toute la famille)", info.group_name)
            self.sector.addItem(f"    {info.name}", str(info.id))
        self.sector.currentIndexChanged.connect(self.changed)
        # Long sector names must not squeeze the place field: the popup shows them whole.
        self.sector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sector.setMinimumContentsLength(18)
        layout.addWidget(self.sector)
        self.departement = QLineEdit()
        self.departement.setPlaceholderText("Département")
        self.departement.setAccessibleName("Département (code)")
        self.departement.setMaximumWidth(110)
        self.departement.setMinimumWidth(95)
        self.departement.textChanged.connect(self.changed)
        layout.addWidget(self.departement)
        self.place = CommunePicker(reference)
        self.place.setAccessibleName("Commune du lieu d'exécution")
        self.place.commune_selected.connect(lambda _insee: self.changed.emit())
        self.place.textChanged.connect(self._place_cleared)
        self.place.setMinimumWidth(220)
        layout.addWidget(self.place, 1)
        self.radius = QSlider(Qt.Orientation.Horizontal)
        self.radius.setRange(1, 200)
        self.radius.setValue(DEFAULT_RADIUS_KM)
        self.radius.setAccessibleName("Rayon autour de la commune, en kilomètres")
        self.radius.setMaximumWidth(160)
        self.radius.setMinimumWidth(90)
        self.radius_label = QLabel()
        self.radius.valueChanged.connect(self._radius_moved)
        layout.addWidget(self.radius)
        layout.addWidget(self.radius_label)
        self._radius_moved(self.radius.value(), notify=False)

    def _radius_moved(self, value: int, notify: bool = True) -> None:
        self.radius_label.setText(f"{format_number(value)} km")
        if notify and self.place.selected() is not None:
            self.changed.emit()

    def _place_cleared(self, text: str) -> None:
        if not text.strip() and self.place.selected() is not None:
            self.place.set_insee(None)
            self.changed.emit()

    def set_place(self, insee: str | None) -> None:
        self.place.set_insee(insee)
        self.changed.emit()

    def set_preset_sectors(self, label: str, sectors: tuple[str, ...]) -> None:
        """An entry "Secteurs du dossier : …" standing for several sectors, chosen at once;
        without sectors the entry goes and the filter returns to every sector."""
        index = self.sector.findData(PRESET)
        if index >= 0:
            self.sector.removeItem(index)
        self._preset = tuple(sectors)
        if self._preset:
            self.sector.insertItem(1, f"Secteurs du dossier : {label}", PRESET)
            self.sector.setItemData(1, ", ".join(self._preset), Qt.ItemDataRole.ToolTipRole)
            self.sector.setCurrentIndex(1)
        elif self.sector.currentIndex() < 0:
            self.sector.setCurrentIndex(0)
        self.changed.emit()

    def state(self) -> FilterState:
        kinds = tuple(name for name, chip in self.chips.items() if chip.isChecked())
        selected = self.place.selected()
        # One typed digit is not yet a département ("9" on the way to "95"): wait for the second.
        dept = self.departement.text().strip().upper()
        dept = dept if len(dept) >= 2 else None
        data = self.sector.currentData()
        preset = self._preset if data == PRESET else ()
        sector = None if data == PRESET else data
        return FilterState(kinds, sector, dept, selected.insee if selected else None, float(self.radius.value()), preset)
