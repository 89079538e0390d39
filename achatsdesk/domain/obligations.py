"""What the law (and good practice) asks of a dossier: the engine's output shapes.

The rules engine (domain/rules.py) fills these from resources/rules; the
clause library, the checklist and the documents read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class ObligationStatus(StrEnum):
    OBLIGATOIRE = "obligatoire"
    RECOMMANDE = "recommande"
    A_ENVISAGER = "a_envisager"
    INFORMATION = "information"


STATUS_LABELS = {
    ObligationStatus.OBLIGATOIRE: "Obligatoire",
    ObligationStatus.RECOMMANDE: "Recommandé",
    ObligationStatus.A_ENVISAGER: "À envisager",
    ObligationStatus.INFORMATION: "Information",
}

# Stable ids, used in every export and by the clause library.
OBLIGATION_IDS = (
    "procedure",
    "env-execution-condition",
    "env-award-criterion",
    "social-execution-condition",
    "insertion-clause",
    "reserved-contract",
    "agec-reuse-recycled",
    "egalim",
    "spaser",
    "labels",
    "lots",
)


@dataclass(frozen=True)
class Obligation:
    id: str
    status: ObligationStatus
    title: str
    legal_basis: str
    applies_from: date | None
    explanation: str
    applies_until: date | None = None
    to_confirm: bool = False  # "à vérifier": not read in a primary text


@dataclass(frozen=True)
class Publicity:
    """The notice a procedure needs (R2131-12 and following) and whether its documents go online (R2132-2)."""

    id: str  # libre | boamp_jal | joue_boamp
    explanation: str
    documents_online: bool
    to_confirm: bool = False


@dataclass(frozen=True)
class Procedure:
    id: str  # dispense | mapa | formalisee | a_renseigner (an amount is missing) | non_examinee (concession)
    threshold_eur: int | None
    explanation: str
    basis: str = ""  # montant | ssas | petit_lot | ensemble | a_renseigner | concession
    publicity: Publicity | None = None
    to_confirm: bool = False


@dataclass
class Assessment:
    procedure: Procedure
    obligations: list[Obligation] = field(default_factory=list)
    judged: bool = True  # False: achatsdesk does not judge this kind of contract (concession)
    scope_reason: str = ""
    details: Any = None  # domain.procedure.ProcedureAssessment: lots, small lots, value estimation
    facts: dict[str, Any] = field(default_factory=dict)  # what the rules were evaluated on (checklist conditions)

    def by_id(self, obligation_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)

    def mandatory(self) -> list[Obligation]:
        return [o for o in self.obligations if o.status == ObligationStatus.OBLIGATOIRE]
