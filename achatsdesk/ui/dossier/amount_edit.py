"""A field for amounts in euros HT: typed "1200000" or pasted "1 200 000,50 €", shown
"1 200 000,50 € HT" once left. Text that is not an amount is refused with a French
message (``error_changed``) and never read as another amount."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from achatsdesk.domain.dossier import format_amount, parse_amount_text
from achatsdesk.errors import ValidationError


def parse_amount(text: str) -> Decimal | None:
    """Euros HT with cents from what the buyer typed; ValidationError (French) when it is no amount."""
    return parse_amount_text(text)


def error_label(accessible_name: str) -> QLabel:
    """The red line under an amount field that says what is wrong with the text."""
    label = QLabel()
    label.setObjectName("amountError")
    label.setStyleSheet("color:#a00")
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.hide()
    return label


class AmountEdit(QLineEdit):
    value_changed = Signal(object)  # Decimal | None, at each valid keystroke: the obligations follow the typing
    error_changed = Signal(str)  # French message, "" once the text is an amount again

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("Montant en euros HT, ex. 1 200 000 ou 215 999,99")
        self.error = ""
        self._last_valid: Decimal | None = None  # the amount last read from the text
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._reformat)

    def _edited(self, text: str) -> None:
        try:
            value = parse_amount(text)
        except ValidationError as exc:
            self._set_error(exc.user_message)
            return
        self._set_error("")
        self._last_valid = value
        self.value_changed.emit(value)

    def _set_error(self, message: str) -> None:
        if message != self.error:
            self.error = message
            self.setToolTip(message)
            self.setAccessibleDescription(message)
            self.error_changed.emit(message)

    def value(self) -> Decimal | None:
        try:
            return parse_amount(self.text())
        except ValidationError:
            return None

    def set_value(self, value: Decimal | int | None) -> None:
        """Show the dossier's amount, unless the text already says it (the cursor stays under the
        buyer's fingers) or is a wrong text being corrected while the amount is unchanged."""
        if (self.error and value == self._last_valid) or (not self.error and self.value() == value):
            return
        self._set_error("")
        self._last_valid = value
        self.setText(format_amount(value) if value is not None else "")

    def _reformat(self) -> None:
        if self.error:
            return  # keep the text as typed so that it can be corrected
        value = self.value()
        self.setText(format_amount(value) if value is not None else "")
