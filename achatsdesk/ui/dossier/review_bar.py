"""The decision bar of review mode: reviewer name, comment, Valider / À reprendre,
and the history of earlier decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.formatting import format_date_field, format_date_short
from achatsdesk.domain.review import DECISION_LABELS, ReviewDecision
from achatsdesk.errors import AchatsdeskError

if TYPE_CHECKING:
    from achatsdesk.services.bootstrap import Database  # the type only
    from achatsdesk.services.team import TeamRights

NOT_A_HEAD = ("Seul un chef de service enregistre la décision de relecture : vous pouvez lire le dossier "
              "et son historique.")


def history_text(reviews: list[ReviewDecision]) -> str:
    """Every round of the review, oldest first: sent, returned, validated."""
    if not reviews:
        return "Aucune relecture pour l'instant."
    lines = [
        f"{format_date_short(r.decided_at.date())} à {r.decided_at:%H:%M} — {DECISION_LABELS[r.decision]}"
        + (f" par {r.reviewer}" if r.reviewer else "")
        + (f" : « {r.comment} »" if r.comment else "")
        for r in reviews
    ]
    return "Historique des relectures :\n" + "\n".join(lines)


MAX_CHANGES_SHOWN = 15


def changes_text(entries: list | None) -> str:
    """Who changed the dossier and when, newest first (``services.team.ChangeEntry``, written by the
    database's triggers: on the team server the login role, alone the system user)."""
    if entries is None:
        return "Historique des modifications indisponible pour l'instant."
    if not entries:
        return "Aucune modification enregistrée pour l'instant."
    newest = list(reversed(entries))
    lines = [
        f"{format_date_short(e.when.date())} à {e.when:%H:%M} — {e.action_label} (révision {e.revision})"
        + (f" par {e.by}" if e.by else "")
        for e in newest[:MAX_CHANGES_SHOWN]
    ]
    if len(newest) > MAX_CHANGES_SHOWN:
        lines.append(f"… et {len(newest) - MAX_CHANGES_SHOWN} plus anciennes (achatsdesk-cli dossier history).")
    return "Historique des modifications :\n" + "\n".join(lines)


def return_banner_text(review: ReviewDecision) -> str:
    """The head's "À reprendre", shown at the top of the buyer's editor until the dossier is sent again."""
    return (f"Retourné par {review.reviewer}, le {format_date_field(review.decided_at.date())} : « {review.comment} » "
            "— Reprenez le dossier puis renvoyez-le en relecture.")


class ReviewBar(QFrame):
    decision_requested = Signal(str, str, str)  # decision, reviewer, comment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("reviewBar")
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("Votre nom")
        self.reviewer.setAccessibleName("Nom du relecteur")
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Commentaire de la décision (obligatoire pour « À reprendre »)")
        self.comment.setAccessibleName("Commentaire de la décision")
        self.validate_button = QPushButton("Valider")
        self.validate_button.setAccessibleName("Valider le dossier")
        self.rework_button = QPushButton("À reprendre")
        self.rework_button.setAccessibleName("Renvoyer le dossier à reprendre")
        self.not_allowed = QLabel(NOT_A_HEAD)
        self.not_allowed.setWordWrap(True)
        self.not_allowed.setAccessibleName("Décision réservée au chef de service")
        self.not_allowed.hide()
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAccessibleName("Historique des relectures")
        row = QHBoxLayout()
        row.addWidget(QLabel("Relecture :"))
        row.addWidget(self.reviewer)
        row.addWidget(self.comment, 1)
        row.addWidget(self.validate_button)
        row.addWidget(self.rework_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.not_allowed)
        layout.addWidget(self.history)
        self.validate_button.clicked.connect(lambda: self._decide("valide"))
        self.rework_button.clicked.connect(lambda: self._decide("a_reprendre"))

    def apply_rights(self, rights: TeamRights) -> None:
        """Hide what the connected person may not do (the server refuses it regardless). In team
        mode the decision is signed by the login role: the name is the connection's, not typed."""
        for widget in (self.reviewer, self.comment, self.validate_button, self.rework_button):
            widget.setVisible(rights.can_review)
        self.not_allowed.setVisible(not rights.can_review)
        if rights.is_team:
            self.reviewer.setText(rights.user)
            self.reviewer.setReadOnly(True)

    def apply_rights_of(self, database: Database) -> None:
        """``apply_rights`` with the rights read from the database; unreadable, everything stays shown."""
        from achatsdesk.services.team import current_rights

        try:
            self.apply_rights(current_rights(database))
        except AchatsdeskError:
            pass  # the window only hides: the server still refuses what is not allowed

    def _decide(self, decision: str) -> None:
        self.decision_requested.emit(decision, self.reviewer.text(), self.comment.text())

    def show_history(self, reviews: list[ReviewDecision]) -> None:
        self.history.setText(history_text(reviews))
