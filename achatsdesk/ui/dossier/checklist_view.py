"""One checklist step in the middle of the editor: its items, each with status,
justification (and the law's exemption cases where they apply) and the
reviewer's comment.

A "sans objet" answer on a mandatory item is only recorded once its
justification is acceptable; so is "fait" on an item that records a choice to
justify (no lots, a dispense, a negotiated procedure). Until then the row says
what is missing.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.checklist import (
    ITEM_STATUS_LABELS,
    ChecklistItem,
    ChecklistStep,
    ChecklistTemplate,
    ItemState,
    ItemStatus,
    justification_problem,
)

STATUSES = list(ItemStatus)


class ItemRow(QFrame):
    state_requested = Signal(str, object)  # item id, ItemState to record
    comment_requested = Signal(str, str)  # item id, reviewer comment

    def __init__(self, item: ChecklistItem, template: ChecklistTemplate, review_mode: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item, self._template, self._pending = item, template, False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"item-{item.id}")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(ITEM_STATUS_LABELS[status], status.value)
        self.status.setAccessibleName(f"Statut : {item.title}")
        self.exemption = QComboBox()
        self.exemption.addItem("Choisissez le cas de dispense prévu par la loi (à vérifier)…", None)
        for case in template.exemptions:
            self.exemption.addItem(f"{case.label}{' (à vérifier)' if case.to_confirm else ''}", case.id)
        self.exemption.setAccessibleName(f"Cas de dispense : {item.title}")
        self.justification = QLineEdit()
        self.justification.setPlaceholderText("Justification de « sans objet »")
        self.justification.setAccessibleName(f"Justification : {item.title}")
        self.error = QLabel()
        self.error.setObjectName("itemError")
        self.error.setStyleSheet("color:#a00")
        self.error.setWordWrap(True)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Commentaire du relecteur")
        self.comment.setAccessibleName(f"Commentaire du relecteur : {item.title}")
        self.comment.setReadOnly(not review_mode)
        self.status.setEnabled(not review_mode)
        self.justification.setReadOnly(review_mode)
        self.exemption.setEnabled(not review_mode)
        self._review_mode = review_mode

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.exemption)
        layout.addWidget(self.justification)
        layout.addWidget(self.error)
        layout.addWidget(self.comment)

        self.status.currentIndexChanged.connect(lambda _i: self._request())
        self.exemption.currentIndexChanged.connect(lambda _i: self._request())
        self.justification.textEdited.connect(lambda _t: self._request())
        self.comment.textEdited.connect(lambda text: self.comment_requested.emit(self.item.id, text))
        self.update_item(item, force=True)

    # --- showing ------------------------------------------------------------
    def update_item(self, item: ChecklistItem, force: bool = False) -> None:
        self.item = item
        flag = " <b>· Obligatoire</b>" if item.mandatory else ""
        answered = f"<br><i>Traité par la clause « {html.escape(item.answered_by, quote=False)} »</i>" if item.answered_by else ""
        self.title.setText(f"{html.escape(item.title, quote=False)}{flag}{answered}")
        self.title.setAccessibleName(item.title + (" (obligatoire)" if item.mandatory else ""))
        placeholder = (f"Justification : {item.justification_label}" if item.justification_required
                       else "Justification de « sans objet »")
        if self.justification.placeholderText() != placeholder:
            self.justification.setPlaceholderText(placeholder)
        if force:
            self._pending = False
        if not self._pending:
            state = item.state
            self._set(self.status, STATUSES.index(state.status))
            self._set(self.exemption, max(0, self.exemption.findData(state.exemption_case)))
            if self.justification.text() != state.justification:
                self.justification.setText(state.justification)
            self.error.clear()
        if self.comment.text() != item.state.comment and not self.comment.hasFocus():
            self.comment.setText(item.state.comment)
        self._update_visibility()

    @staticmethod
    def _set(combo: QComboBox, index: int) -> None:
        if combo.currentIndex() != index:
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def _update_visibility(self) -> None:
        sans_objet = self.status.currentData() == ItemStatus.SANS_OBJET.value
        done = self.status.currentData() == ItemStatus.FAIT.value
        self.justification.setVisible(sans_objet or (done and self.item.justification_required))
        self.exemption.setVisible(sans_objet and self.item.exemption_cases and self.item.mandatory)
        self.error.setVisible(bool(self.error.text()))
        self.comment.setVisible(self._review_mode or bool(self.comment.text()))

    # --- editing ------------------------------------------------------------
    def candidate(self) -> ItemState:
        return ItemState(ItemStatus(self.status.currentData()), self.justification.text().strip(),
                         self.exemption.currentData() if self.exemption.isVisibleTo(self) else None,
                         self.item.state.comment)

    def _request(self) -> None:
        self._update_visibility()
        state = self.candidate()
        problem = justification_problem(self.item, state, self._template)
        self._pending = problem is not None
        self.error.setText(problem or "")
        self._update_visibility()
        if problem is None and state != self.item.state:
            self.state_requested.emit(self.item.id, state)


class StepPage(QWidget):
    """The items of one step, updated in place so that typing never loses the focus."""

    state_requested = Signal(str, object)
    comment_requested = Signal(str, str)

    def __init__(self, step_id: str, title: str, template: ChecklistTemplate, review_mode: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step_id, self._template, self._review_mode = step_id, template, review_mode
        self.rows: dict[str, ItemRow] = {}
        self.heading = QLabel(f"<h2>{title}</h2>")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        # The step's own fields and items live in a body kept to the visible width (fit_width):
        # a wide widget added by another area scrolls on its own line, never pushing the items'
        # status boxes or the review summary out of sight.
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.top = QVBoxLayout()  # the step's own fields (Besoin et sourcing, Allotissement)
        body_layout.addLayout(self.top)
        self._items_box = QVBoxLayout()
        body_layout.addLayout(self._items_box)
        layout.addWidget(self.body, 0, Qt.AlignmentFlag.AlignLeft)
        self.extensions = QVBoxLayout()  # widgets added by other areas (clause cards, ...)
        layout.addLayout(self.extensions)
        layout.addStretch(1)
        self.setAccessibleName(title)

    def fit_width(self, visible_width: int) -> None:
        """Keep the body to the visible width of the scroll area (not less than it needs)."""
        margins = self.layout().contentsMargins()
        wanted = max(visible_width - margins.left() - margins.right(), self.body.minimumSizeHint().width())
        if self.body.width() != wanted or self.body.minimumWidth() != wanted:
            self.body.setFixedWidth(wanted)

    def show_step(self, step: ChecklistStep, force: bool = False) -> None:
        wanted = [item.id for item in step.items]
        for item_id in [i for i in self.rows if i not in wanted]:
            row = self.rows.pop(item_id)
            row.setParent(None)
            row.deleteLater()
        for position, item in enumerate(step.items):
            row = self.rows.get(item.id)
            if row is None:
                row = ItemRow(item, self._template, self._review_mode)
                row.state_requested.connect(self.state_requested)
                row.comment_requested.connect(self.comment_requested)
                self.rows[item.id] = row
                self._items_box.insertWidget(position, row)
            else:
                row.update_item(item, force=force)
