"""Review and sign-off by the department head: decisions, kept as a history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from achatsdesk.domain.checklist import ChecklistStep, remaining
from achatsdesk.errors import ValidationError


class Decision(StrEnum):
    """One round of the review: the buyer sends (ENVOYE), the head validates or sends back."""

    VALIDE = "valide"
    A_REPRENDRE = "a_reprendre"
    ENVOYE = "envoye"


DECISION_LABELS = {Decision.VALIDE: "Validé", Decision.A_REPRENDRE: "À reprendre",
                   Decision.ENVOYE: "Envoyé en relecture"}
HEAD_DECISIONS = (Decision.VALIDE, Decision.A_REPRENDRE)
# The dossier's status after each round (values of dossier_status.DossierStatus).
STATUS_AFTER = {Decision.VALIDE: "valide", Decision.A_REPRENDRE: "a_reprendre", Decision.ENVOYE: "a_relire"}


@dataclass(frozen=True)
class ReviewDecision:
    decision: Decision
    reviewer: str
    decided_at: datetime
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision.value, "reviewer": self.reviewer,
                "decided_at": self.decided_at.isoformat(timespec="seconds"), "comment": self.comment}

    @classmethod
    def from_dict(cls, data: Any) -> ReviewDecision:
        if not isinstance(data, dict):
            raise ValidationError("Une décision de relecture doit être un objet.")
        try:
            decision = Decision(data.get("decision"))
            decided_at = datetime.fromisoformat(str(data.get("decided_at")))
        except ValueError:
            raise ValidationError(
                "Décision de relecture invalide : « decision » vaut valide, a_reprendre ou envoye, "
                "« decided_at » est une date ISO (AAAA-MM-JJTHH:MM:SS)."
            ) from None
        return cls(decision, str(data.get("reviewer") or ""), decided_at, str(data.get("comment") or ""))


def make_decision(decision: str, reviewer: str, comment: str, now: datetime | None = None) -> ReviewDecision:
    """A decision as the head takes it: name always, comment required to send back.
    "envoye" records the buyer's sending (the name may then be empty)."""
    try:
        value = Decision(decision)
    except ValueError:
        raise ValidationError("La décision doit être « valide » ou « a_reprendre ».") from None
    if value == Decision.ENVOYE:
        return ReviewDecision(value, reviewer.strip(), (now or datetime.now()).replace(microsecond=0), comment.strip())
    if not reviewer.strip():
        raise ValidationError("Indiquez le nom de la personne qui relit avant d'enregistrer la décision.")
    if value == Decision.A_REPRENDRE and not comment.strip():
        raise ValidationError("Expliquez ce qui est à reprendre dans le commentaire avant de renvoyer le dossier.")
    return ReviewDecision(value, reviewer.strip(), (now or datetime.now()).replace(microsecond=0), comment.strip())


def head_decisions(reviews: list[ReviewDecision]) -> list[ReviewDecision]:
    """The head's decisions only (the buyer's sendings left out), oldest first."""
    return [r for r in reviews if r.decision in HEAD_DECISIONS]


def pending_return(reviews: list[ReviewDecision]) -> ReviewDecision | None:
    """The head's "À reprendre" the buyer has not answered yet (by sending the dossier again)."""
    if reviews and reviews[-1].decision == Decision.A_REPRENDRE:
        return reviews[-1]
    return None


def open_points(steps: list[ChecklistStep], clause_count: int) -> list[str]:
    """What a head validating now would sign off although it is not done: mandatory items
    still to do, and a dossier without any clause. Empty when nothing is open."""
    points = [f"« {item.title} » (obligatoire) est encore à faire." for item in remaining(steps) if item.mandatory]
    if clause_count == 0:
        points.append("Aucune clause n'est retenue : l'annexe exportée ne contiendra aucune clause.")
    return points


def validation_refused(points: list[str], comment: str) -> str | None:
    """Why a validation is refused (French), or None: with open points, the head validates only
    by recording why in the comment, so that the signed review says it (issue 14)."""
    if points and not comment.strip():
        return ("Des points restent ouverts : pour valider quand même, écrivez dans le commentaire "
                "pourquoi le dossier peut être validé en l'état.")
    return None
