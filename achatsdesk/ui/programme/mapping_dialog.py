"""Column mapping for a programme whose headings are not the usual ones.

The same assistant as the catalogue import (ui/catalogue/import_dialog.py): the
first rows of the file, then one list per field naming the column that holds
it, "(aucune)" when the file has none. The buyer's choice is remembered for
files laid out the same way (services.programme_reader.remember_mapping).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.services.programme_reader import FIELDS, REQUIRED_FIELDS, ProgrammeTable

PREVIEW_ROWS = 8


class ProgrammeMappingDialog(QDialog):
    def __init__(self, table: ProgrammeTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correspondance des colonnes du programme")
        self.setAccessibleName("Correspondance des colonnes du programme")
        self.resize(820, 600)
        self.table = table
        layout = QVBoxLayout(self)
        missing = ", ".join(FIELDS[name] for name in table.missing)
        intro = QLabel(f"Les en-têtes de « {table.path.name} » ne sont pas tous reconnus (manquent : {missing}). "
                       "Indiquez quelle colonne contient chaque information ; votre choix sera retenu pour les "
                       "fichiers présentés de la même façon.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        preview = QTableWidget()
        preview.setAccessibleName("Aperçu des premières lignes")
        preview.setColumnCount(len(table.headers))
        preview.setHorizontalHeaderLabels(table.headers)
        rows = table.raw_rows[:PREVIEW_ROWS]
        preview.setRowCount(len(rows))
        for r, (_line, cells) in enumerate(rows):
            for c, value in enumerate(cells[: len(table.headers)]):
                preview.setItem(r, c, QTableWidgetItem(value))
        layout.addWidget(preview, 2)
        box = QGroupBox("Correspondance des colonnes")
        form = QFormLayout(box)
        self.combos: dict[str, QComboBox] = {}
        for name, label in FIELDS.items():
            combo = QComboBox()
            combo.setAccessibleName(f"Colonne pour : {label}")
            combo.addItem("(aucune)", None)
            for header in table.headers:
                if header:
                    combo.addItem(header, header)
            guessed = table.mapping.get(name)
            if guessed:
                combo.setCurrentIndex(combo.findData(guessed))
            combo.currentIndexChanged.connect(self._check)
            form.addRow(label + (" *" if name in REQUIRED_FIELDS else ""), combo)
            self.combos[name] = combo
        layout.addWidget(box, 3)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Analyser le programme", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def mapping(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def choose(self, name: str, header: str) -> None:
        self.combos[name].setCurrentIndex(self.combos[name].findData(header))

    def _check(self) -> None:
        chosen = self.mapping()
        self.ok_button.setEnabled(all(chosen.get(name) for name in REQUIRED_FIELDS))
