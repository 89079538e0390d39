"""The live obligations panel: one line per obligation with a status chip (text first,
colour only as a second cue), its title, and when unfolded the explanation built
from the dossier's own values, the legal reference and the dates."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from achatsdesk.domain.dossier import format_amount
from achatsdesk.domain.formatting import format_date_long
from achatsdesk.domain.obligations import STATUS_LABELS, Assessment, Obligation, ObligationStatus
from achatsdesk.domain.thresholds import PROCEDURE_LABELS

CHIP_COLOURS = {
    ObligationStatus.OBLIGATOIRE: "#f8d7da",
    ObligationStatus.RECOMMANDE: "#fff3cd",
    ObligationStatus.A_ENVISAGER: "#d1ecf1",
    ObligationStatus.INFORMATION: "#e2e3e5",
}


# "1 200 000 € HT", "215 999,99 €", "5 %": the groups are joined by no-break spaces that some
# platforms' line breakers still split at in a word-wrapped label.
_UNBREAKABLE = re.compile(r"\d{1,3}(?:\u202f\d{3})*(?:,\d+)?\u00a0(?:€(?:\u00a0HT)?|%)")


def rich_text(text: str) -> str:
    """Plain French text as label HTML: escaped ("<" in "montant < seuil"), amounts kept on one line."""
    return _UNBREAKABLE.sub(lambda m: f'<span style="white-space:nowrap">{m.group(0)}</span>',
                            html.escape(text, quote=False))


def dates_text(obligation: Obligation) -> str:
    if obligation.applies_from and obligation.applies_until:
        return f"S'applique du {format_date_long(obligation.applies_from)} au {format_date_long(obligation.applies_until)}."
    if obligation.applies_from:
        return f"S'applique depuis le {format_date_long(obligation.applies_from)}."
    if obligation.applies_until:
        return f"Jusqu'au {format_date_long(obligation.applies_until)} inclus."
    return ""


class ClickableTitle(QLabel):
    """A title that wraps (a button would widen the panel) yet acts as a button: click, Enter or Space."""

    clicked = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class ObligationRow(QFrame):
    activated = Signal(str)  # obligation id
    toggled = Signal(str, bool)

    def __init__(self, obligation: Obligation, expanded: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"obligation-{obligation.id}")
        self.chip = QLabel()
        self.chip.setObjectName("statusChip")
        self.title = ClickableTitle("")
        self.title.setToolTip("Afficher l'explication et aller à l'élément de la check-list qui y répond")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setVisible(expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        self.title.clicked.connect(self._clicked)
        self.obligation = obligation
        self._status: ObligationStatus | None = None
        self.set_obligation(obligation)

    def set_obligation(self, obligation: Obligation) -> None:
        """Show this obligation (same id, new values) in the existing widgets: a keystroke in the
        amount changes the explanation's figures, not the row."""
        self.obligation = obligation
        label = STATUS_LABELS[obligation.status]
        if obligation.status != self._status:
            self._status = obligation.status
            self.chip.setText(label)
            self.chip.setStyleSheet(
                f"background:{CHIP_COLOURS[obligation.status]}; color:#111; border-radius:8px; padding:1px 8px; font-weight:600"
            )
            self.chip.setAccessibleName(f"Statut : {label}")
        check = " (à vérifier)" if obligation.to_confirm else ""
        title = ("▾ " if not self.details.isHidden() else "▸ ") + f"{obligation.title}{check}"
        if self.title.text() != title:
            self.title.setText(title)
        self.title.setAccessibleName(f"{label} : {obligation.title}")
        parts = [rich_text(obligation.explanation), f"<i>Référence : {html.escape(obligation.legal_basis, quote=False)}</i>"]
        if dates_text(obligation):
            parts.append(dates_text(obligation))
        if obligation.to_confirm:
            parts.append("<b>À vérifier</b> : cette information n'a pas encore été relue dans un texte officiel.")
        details = "<br>".join(parts)
        if self.details.text() != details:
            self.details.setText(details)
        self.details.setAccessibleName(f"Explication : {obligation.title}")

    def _clicked(self) -> None:
        expanded = self.details.isHidden()  # isVisible() is False until the panel is painted
        self.details.setVisible(expanded)
        self.title.setText(("▾ " if expanded else "▸ ") + self.title.text()[2:])
        self.toggled.emit(self.obligation.id, expanded)
        self.activated.emit(self.obligation.id)


PUBLICITY_LABELS = {"libre": "libre dans sa forme", "boamp_jal": "avis au BOAMP ou dans un JAL",
                    "joue_boamp": "avis au JOUE et au BOAMP"}


class ObligationsPanel(QScrollArea):
    obligation_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # texts wrap instead
        self.setMinimumWidth(300)
        self.setAccessibleName("Obligations")
        self._expanded: set[str] = set()
        self.rows: dict[str, ObligationRow] = {}
        container = QWidget()
        self._layout = QVBoxLayout(container)
        self.heading = QLabel("<b>Obligations</b>")
        # A concession is not judged: said first, plainly (issue 11).
        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.scope.setObjectName("scopeBanner")
        self.scope.setStyleSheet("background:#fde2e1; color:#111; padding:4px 6px")
        self.scope.setAccessibleName("Dossier non examiné")
        self.scope.hide()
        self.procedure = QLabel()
        self.procedure.setWordWrap(True)
        self.procedure.setAccessibleName("Procédure")
        self.publicity = QLabel()
        self.publicity.setWordWrap(True)
        self.publicity.setAccessibleName("Publicité")
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("background:#fff3cd; color:#111; padding:4px 6px")
        self.warnings.setAccessibleName("Points d'attention")
        self.warnings.hide()
        self.amount_basis = QLabel()
        self.amount_basis.setWordWrap(True)
        self.amount_basis.setAccessibleName("Montant retenu")
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.amount_basis)
        self._layout.addWidget(self.scope)
        self._layout.addWidget(self.procedure)
        self._layout.addWidget(self.publicity)
        self._layout.addWidget(self.warnings)
        self._rows_box = QVBoxLayout()
        self._layout.addLayout(self._rows_box)
        self._layout.addStretch(1)
        self.setWidget(container)

    def show_amount_basis(self, amount, from_lots: bool, lot_count: int) -> None:
        """Name the figure the obligations are computed from (estimate or sum of the lots)."""
        if from_lots:
            source = "somme des montants des lots"
        elif lot_count:
            source = "montant estimé, aucun montant de lot n'étant saisi"
        else:
            source = "montant estimé"
        self.amount_basis.setText(f"Montant retenu : {rich_text(format_amount(amount))} ({source})")

    def statuses(self) -> dict[str, ObligationStatus]:
        return {oid: row.obligation.status for oid, row in self.rows.items()}

    def show_assessment(self, assessment: Assessment) -> None:
        procedure = assessment.procedure
        threshold = f" (seuil {rich_text(format_amount(procedure.threshold_eur))})" if procedure.threshold_eur else ""
        self.procedure.setText(f"Procédure : <b>{PROCEDURE_LABELS.get(procedure.id, procedure.id)}</b>{threshold}")
        self.procedure.setToolTip(procedure.explanation)
        self.scope.setText("" if assessment.judged else assessment.scope_reason)
        self.scope.setVisible(not assessment.judged)
        publicity = procedure.publicity
        self.publicity.setText(f"Publicité : {PUBLICITY_LABELS.get(publicity.id, publicity.id)}"
                               + (" · documents en ligne" if publicity.documents_online else "")
                               if publicity and assessment.judged else "")
        self.publicity.setToolTip(publicity.explanation if publicity else "")
        if [o for o in assessment.obligations] == [row.obligation for row in self.rows.values()]:
            return  # nothing changed: keep the widgets (and the focus) as they are
        # Diff by obligation id: rows that stay are updated in place (the focus and the unfolded
        # explanations stay too), new ones are created, gone ones removed, then put in order.
        wanted = {o.id for o in assessment.obligations}
        for obligation_id in [i for i in self.rows if i not in wanted]:
            row = self.rows.pop(obligation_id)
            row.setParent(None)
            row.deleteLater()
        rows: dict[str, ObligationRow] = {}
        for position, obligation in enumerate(assessment.obligations):
            row = self.rows.get(obligation.id)
            if row is None:
                row = ObligationRow(obligation, obligation.id in self._expanded)
                row.activated.connect(self.obligation_activated)
                row.toggled.connect(self._remember)
                self._rows_box.insertWidget(position, row)
            else:
                if row.obligation != obligation:
                    row.set_obligation(obligation)
                if self._rows_box.indexOf(row) != position:
                    self._rows_box.removeWidget(row)
                    self._rows_box.insertWidget(position, row)
            rows[obligation.id] = row
        self.rows = rows

    def show_warnings(self, warnings: list[str]) -> None:
        """Points the buyer must look at (a need that may be split over several dossiers…)."""
        text = "<br>".join(f"Attention : {rich_text(w)}" for w in warnings)
        if self.warnings.text() != text:
            self.warnings.setText(text)
        self.warnings.setVisible(bool(warnings))

    def _remember(self, obligation_id: str, expanded: bool) -> None:
        (self._expanded.add if expanded else self._expanded.discard)(obligation_id)
