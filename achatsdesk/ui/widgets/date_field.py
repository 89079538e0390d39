"""A date field that cannot slip: typed "01/12/2026" or picked on a calendar.

A date outside the sane range (2015 to 2040) or text that is no date is refused
with a French message and the previous value is kept: a launch date typed
01/01/1990 must not silently become another date (obligations depend on it).
Empty text means "not given". The calendar opens on the field's date, or today.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

EARLIEST = date(2015, 1, 1)
LATEST = date(2040, 12, 31)


def parse_date_text(text: str) -> date | None:
    """The date a buyer typed (JJ/MM/AAAA); None when empty; ValueError with a French message."""
    compact = text.strip()
    if not compact:
        return None
    for pattern in ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(compact, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"« {compact} » n'est pas une date : saisissez-la sous la forme JJ/MM/AAAA, par exemple 01/12/2026.")
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"La date {day.strftime('%d/%m/%Y')} est hors de la période acceptée (du {EARLIEST.strftime('%d/%m/%Y')} "
            f"au {LATEST.strftime('%d/%m/%Y')}) : vérifiez l'année. La date précédente est conservée."
        )
    return day


class DateField(QWidget):
    date_changed = Signal(object)  # date | None, once a valid date (or an empty field) is entered
    error_changed = Signal(str)  # French message, "" once the text is accepted

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: date | None = None
        self.error = ""
        self.line = QLineEdit()
        self.line.setPlaceholderText("JJ/MM/AAAA (non renseignée)")
        self.line.setAccessibleName(accessible_name)
        self.button = QToolButton()
        self.button.setText("Calendrier…")
        self.button.setAccessibleName(f"{accessible_name} : ouvrir le calendrier")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setMinimumDate(QDate(EARLIEST))
        self.calendar.setMaximumDate(QDate(LATEST))
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName(f"{accessible_name} : calendrier")
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(menu)
        self._menu = menu
        self.message = QLabel()
        self.message.setObjectName("dateError")
        self.message.setStyleSheet("color:#a00")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(f"Erreur de saisie : {accessible_name}")
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.line)
        self.line.editingFinished.connect(self.commit_text)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    # --- reading and showing -----------------------------------------------------------
    def value(self) -> date | None:
        return self._value

    def set_value(self, value: date | None) -> None:
        """Show a date without emitting (a reload, undo or redo)."""
        self._value = value
        self._set_error("")
        text = value.strftime("%d/%m/%Y") if value else ""
        if self.line.text() != text:
            self.line.setText(text)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - the Qt spelling of the other fields
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    # --- input --------------------------------------------------------------------------
    def commit_text(self) -> None:
        """Read the typed text: accepted and emitted, or refused with the previous value kept."""
        if self.line.isReadOnly():
            return
        try:
            day = parse_date_text(self.line.text())
        except ValueError as exc:
            self._set_error(str(exc))
            self.line.setText(self._value.strftime("%d/%m/%Y") if self._value else "")
            return
        self._set_error("")
        self._accept(day)

    def _picked(self, qdate: QDate) -> None:
        self._menu.close()
        self._set_error("")
        self._accept(qdate.toPython())

    def _accept(self, day: date | None) -> None:
        text = day.strftime("%d/%m/%Y") if day else ""
        if self.line.text() != text:
            self.line.setText(text)
        if day != self._value:
            self._value = day
            self.date_changed.emit(day)

    def _prepare_calendar(self) -> None:
        shown = self._value or date.today()
        shown = min(max(shown, EARLIEST), LATEST)
        self.calendar.setSelectedDate(QDate(shown))
        self.calendar.setCurrentPage(shown.year, shown.month)

    def calendar_page(self) -> tuple[int, int]:
        return self.calendar.yearShown(), self.calendar.monthShown()

    def _set_error(self, message: str) -> None:
        if message != self.error:
            self.error = message
            self.message.setText(message)
            self.message.setVisible(bool(message))
            self.line.setToolTip(message)
            self.error_changed.emit(message)


