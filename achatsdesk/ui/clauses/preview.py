"""The clause's wording with the current values; a value that does not fit shows the
French message naming the variable instead of the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from achatsdesk.domain.clauses import ClauseTemplate, render_clause
from achatsdesk.errors import AchatsdeskError
from achatsdesk.ui.tasks import TaskRunner


class ClausePreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0  # renders run on the task runner: a stale result is dropped
        self._wording = ""  # as rendered: Qt's toPlainText() turns no-break spaces into spaces
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Aperçu de la clause")
        self.text.setMinimumHeight(160)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#a00")
        self.problem.setAccessibleName("Problème de rédaction")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem)
        layout.addWidget(self.text, 1)
        self._tasks = TaskRunner()

    def show_clause(self, clause: ClauseTemplate | None, values: dict[str, Any] | None = None) -> None:
        """Render on the task runner (never the GUI thread); only the latest request is shown."""
        self._generation += 1
        generation = self._generation
        if clause is None:
            self._wording = ""
            self.text.setPlainText("")
            self.problem.hide()
            return

        def shown(wording: str) -> None:
            if generation != self._generation:
                return  # a newer value was typed meanwhile: its render will show
            self.problem.hide()
            self._wording = wording
            self.text.setPlainText(wording)

        def refused(exc: BaseException) -> None:
            if generation != self._generation:
                return
            if not isinstance(exc, AchatsdeskError):
                from achatsdesk.ui import operations

                operations.report(self, exc)
                return
            self.problem.setText(exc.user_message)
            self.problem.show()

        given = dict(values) if values is not None else None
        # A read: it runs beside the database writes, on Qt's shared pool.
        self._tasks.run(lambda _control: render_clause(clause, given), on_done=shown, on_error=refused, writes=False)

    def wording(self) -> str:
        return self._wording
