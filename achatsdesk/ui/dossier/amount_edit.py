"""A field for amounts in euros HT: typed "1200000", shown "1 200 000 € HT" once left."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from achatsdesk.domain.formatting import format_money

_NOT_DIGIT = re.compile(r"\D")


def parse_amount(text: str) -> int | None:
    """Whole euros from what the buyer typed; spaces, "€" and "HT" are ignored."""
    digits = _NOT_DIGIT.sub("", text.replace("HT", ""))
    return int(digits) if digits else None


class AmountEdit(QLineEdit):
    value_changed = Signal(object)  # int | None, at each keystroke: the obligations follow the typing

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("Montant en euros HT, ex. 1200000")
        self.textEdited.connect(lambda text: self.value_changed.emit(parse_amount(text)))
        self.editingFinished.connect(self._reformat)

    def value(self) -> int | None:
        return parse_amount(self.text())

    def set_value(self, value: int | None) -> None:
        if self.hasFocus() and parse_amount(self.text()) == value:
            return  # do not move the cursor under the buyer's fingers
        self.setText(format_money(value) if value is not None else "")

    def _reformat(self) -> None:
        value = self.value()
        self.setText(format_money(value) if value is not None else "")
