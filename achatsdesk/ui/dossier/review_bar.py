"""The decision bar of review mode: reviewer name, comment, Valider / À reprendre,
and the history of earlier decisions."""

from __future__ import annotations

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
        layout.addWidget(self.history)
        self.validate_button.clicked.connect(lambda: self._decide("valide"))
        self.rework_button.clicked.connect(lambda: self._decide("a_reprendre"))

    def _decide(self, decision: str) -> None:
        self.decision_requested.emit(decision, self.reviewer.text(), self.comment.text())

    def show_history(self, reviews: list[ReviewDecision]) -> None:
        self.history.setText(history_text(reviews))
