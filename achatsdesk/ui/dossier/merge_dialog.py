"""The side-by-side choice for a dossier brought back after a colleague changed it on the server.

One row per field that differs: the value when the dossier was taken away, mine
(edited offline), the server's; and a choice per row, "Ma version" or "Version
du serveur". A field changed on one side only is preset to that side; a field
changed on both is marked and preset to mine. "Appliquer mes choix" saves the
merge on the server, "Garder les deux" keeps my version as a new dossier beside
the colleague's, "Annuler" writes nothing (the dossier stays taken away).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.dossier_merge import MINE, THEIRS, Choice, FieldDifference, format_value
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.services.offline import BringBackOutcome

APPLY = "apply"
KEEP_BOTH = "keep_both"
_HEADERS = ("Champ", "Au départ", "Ma version (hors connexion)", "Version du serveur", "Garder")


class MergeDialog(QDialog):
    def __init__(self, outcome: BringBackOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        self.decision: str | None = None  # APPLY, KEEP_BOTH, or None (cancelled)
        self._groups: dict[str, QButtonGroup] = {}
        self._radios: dict[tuple[str, Choice], QRadioButton] = {}
        self.setWindowTitle("Dossier modifié des deux côtés")
        self.resize(960, 520)
        conflicts = len(outcome.conflicting)
        both = (f" ({count_of(conflicts, 'champ')} {word_for(conflicts, 'modifié')} des deux côtés, "
                f"{word_for(conflicts, 'signalé')} par ⚠)") if conflicts else ""
        intro = QLabel(f"Le dossier « {outcome.title} » a été modifié sur le serveur pendant que vous l'aviez "
                       f"emporté. Choisissez, champ par champ, la version à garder{both}, ou gardez les deux "
                       "versions : rien n'est perdu.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._build_table(), 1)
        buttons = QDialogButtonBox()
        self.apply_button = QPushButton("Appliquer mes choix")
        self.keep_both_button = QPushButton("Garder les deux")
        self.keep_both_button.setToolTip("Votre version est enregistrée comme un nouveau dossier "
                                         "« … (copie hors connexion) » ; celle du serveur reste telle quelle.")
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setToolTip("Rien n'est enregistré : le dossier reste emporté sur ce poste.")
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_both_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.apply_button, self.keep_both_button, self.cancel_button):
            button.setAccessibleName(button.text())
        self.apply_button.clicked.connect(lambda: self._finish(APPLY))
        self.keep_both_button.clicked.connect(lambda: self._finish(KEEP_BOTH))
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _build_table(self) -> QScrollArea:
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        for column, header in enumerate(_HEADERS):
            grid.addWidget(QLabel(f"<b>{header}</b>"), 0, column)
        for row, difference in enumerate(self.outcome.differences, start=1):
            self._add_row(grid, row, difference)
        grid.setRowStretch(len(self.outcome.differences) + 1, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setAccessibleName("Différences entre votre version et celle du serveur")
        return scroll

    def _add_row(self, grid: QGridLayout, row: int, difference: FieldDifference) -> None:
        label = f"⚠ {difference.label}" if difference.both_changed else difference.label
        name = QLabel(f"<b>{label}</b>" if difference.both_changed else label)
        if difference.both_changed:
            name.setToolTip("Modifié des deux côtés : choisissez la version à garder.")
        grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
        for column, value in ((1, difference.base), (2, difference.mine), (3, difference.theirs)):
            shown = QLabel(format_value(difference.key, value))
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(shown, row, column, Qt.AlignmentFlag.AlignTop)
        choice = QWidget()
        choice_layout = QVBoxLayout(choice)
        choice_layout.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(self)
        for side, text in ((MINE, "Ma version"), (THEIRS, "Version du serveur")):
            radio = QRadioButton(text)
            radio.setAccessibleName(f"{text} pour « {difference.label} »")
            radio.setChecked(side == difference.default_choice)
            group.addButton(radio)
            choice_layout.addWidget(radio)
            self._radios[(difference.key, side)] = radio
        self._groups[difference.key] = group
        grid.addWidget(choice, row, 4, Qt.AlignmentFlag.AlignTop)

    # --- what the buyer chose ------------------------------------------------------------
    def choose(self, key: str, side: Choice) -> None:
        self._radios[(key, side)].setChecked(True)

    def radio(self, key: str, side: Choice) -> QRadioButton:
        return self._radios[(key, side)]

    def choices(self) -> dict[str, Choice]:
        return {key: MINE if self._radios[(key, MINE)].isChecked() else THEIRS for key in self._groups}

    def _finish(self, decision: str) -> None:
        self.decision = decision
        self.accept()
