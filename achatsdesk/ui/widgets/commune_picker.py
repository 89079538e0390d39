"""Commune picker: a field that proposes communes by name (accents optional) or postcode."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from achatsdesk.services.reference import CommuneEntry, ReferenceService


class CommunePicker(QLineEdit):
    commune_selected = Signal(str)  # INSEE code

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self._by_display: dict[str, CommuneEntry] = {}
        self._selected: CommuneEntry | None = None
        self.setPlaceholderText("Commune ou code postal (ex. : Cergy, 95000)")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Commune")
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        completer.activated[str].connect(self._choose)
        self.textEdited.connect(self._update_suggestions)

    def suggestions(self) -> list[str]:
        return self._model.stringList()

    def selected(self) -> CommuneEntry | None:
        return self._selected

    def set_insee(self, insee: str | None) -> None:
        entry = self._reference.get_commune(insee) if insee else None
        self._selected = entry
        self.setText(self._label(entry) if entry else "")

    def choose_suggestion(self, index: int = 0) -> None:
        """Pick one of the current suggestions (keyboard users and tests)."""
        items = self._model.stringList()
        if 0 <= index < len(items):
            self._choose(items[index])

    @staticmethod
    def _label(entry: CommuneEntry) -> str:
        codes = ", ".join(entry.postcodes[:3]) or entry.departement
        return f"{entry.name} ({codes}) — {entry.insee}"

    def _update_suggestions(self, text: str) -> None:
        entries = self._reference.search_communes(text, limit=15) if text.strip() else []
        self._by_display = {self._label(e): e for e in entries}
        self._model.setStringList(list(self._by_display))
        if entries:
            self.completer().complete()

    def _choose(self, display: str) -> None:
        entry = self._by_display.get(display)
        if entry is None:
            return
        self._selected = entry
        self.setText(display)
        self.commune_selected.emit(entry.insee)
