"""The contract checklist: steps, items, statuses and the justification rule.

Items come from resources/rules/checklist.json. An item tied to an obligation
appears only when the engine produced that obligation, and is mandatory when
the obligation is; the others are good practice and always present. The
buyer's answers (ItemState) are kept on the dossier by item id, so they
survive a change of amount that hides and shows an item again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from achatsdesk.domain.conditions import condition_holds, condition_problems
from achatsdesk.domain.obligations import Assessment, ObligationStatus
from achatsdesk.domain.thresholds import check_schema_version
from achatsdesk.errors import ReferenceDataError, ValidationError

STEP_IDS = ("besoin", "allotissement", "social", "environnement", "criteres", "execution", "relecture")
MIN_JUSTIFICATION = 10  # characters: "néant" is not a reason


class ItemStatus(StrEnum):
    A_FAIRE = "a_faire"
    FAIT = "fait"
    SANS_OBJET = "sans_objet"


ITEM_STATUS_LABELS = {ItemStatus.A_FAIRE: "À faire", ItemStatus.FAIT: "Fait", ItemStatus.SANS_OBJET: "Sans objet"}


@dataclass
class ItemState:
    """The buyer's answer to one item, and the reviewer's comment on it."""

    status: ItemStatus = ItemStatus.A_FAIRE
    justification: str = ""
    exemption_case: str | None = None  # id in social_exemptions.json when the law's exemption is used
    comment: str = ""  # the reviewer's comment

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "justification": self.justification,
                "exemption_case": self.exemption_case, "comment": self.comment}

    @classmethod
    def from_dict(cls, data: Any, item_id: str = "") -> ItemState:
        if not isinstance(data, dict):
            raise ValidationError(f"L'état de l'élément « {item_id} » de la check-list doit être un objet.")
        try:
            status = ItemStatus(data.get("status", "a_faire"))
        except ValueError:
            raise ValidationError(
                f"Statut « {data.get('status')} » invalide pour l'élément « {item_id} » : a_faire, fait ou sans_objet."
            ) from None
        return cls(status=status, justification=str(data.get("justification") or ""),
                   exemption_case=data.get("exemption_case") or None, comment=str(data.get("comment") or ""))


@dataclass(frozen=True)
class ItemTemplate:
    id: str
    step: str
    title: str
    obligation_id: str | None = None
    exemption_cases: bool = False  # the law's exemption list may justify "sans objet"
    when: Any = None  # condition on the dossier's facts for the item to appear (None: always)
    justify_when: Any = None  # condition for "fait" to need a written justification (dispense, no lots, negotiation)
    justification_label: str = ""  # what the justification must say, in French


@dataclass(frozen=True)
class ExemptionCase:
    id: str
    label: str
    to_confirm: bool = True


@dataclass
class ChecklistTemplate:
    steps: list[tuple[str, str]]  # (id, French title)
    items: list[ItemTemplate]
    exemptions: list[ExemptionCase] = field(default_factory=list)
    exemptions_basis: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    step: str
    title: str
    obligation_id: str | None
    obligation_status: ObligationStatus | None
    mandatory: bool
    state: ItemState
    exemption_cases: bool = False
    justification_required: bool = False  # "fait" counts only with a written justification
    justification_label: str = ""
    answered_by: str = ""  # title of the chosen clause that answers the item's obligation (services/clause_answers.py)

    @property
    def status(self) -> ItemStatus:
        return self.state.status

    @property
    def done(self) -> bool:
        if self.state.status == ItemStatus.FAIT and self.justification_required:
            return len(self.state.justification.strip()) >= MIN_JUSTIFICATION
        return self.state.status in (ItemStatus.FAIT, ItemStatus.SANS_OBJET)


@dataclass
class ChecklistStep:
    id: str
    title: str
    items: list[ChecklistItem]

    @property
    def progress(self) -> tuple[int, int]:
        return sum(1 for i in self.items if i.done), len(self.items)

    @property
    def label(self) -> str:
        done, total = self.progress
        return f"{self.title} {done}/{total}"


def load_checklist(directory: Path) -> ChecklistTemplate:
    try:
        data = json.loads((directory / "checklist.json").read_text(encoding="utf-8"))
        check_schema_version(data, "checklist.json")
        steps = [(s["id"], s["title"]) for s in data["steps"]]
        items = [
            ItemTemplate(i["id"], s["id"], i["title"], i.get("obligation_id"), bool(i.get("exemption_cases")),
                         i.get("when"), i.get("justify_when"), i.get("justification_label", ""))
            for s in data["steps"] for i in s["items"]
        ]
        exemptions_data = json.loads((directory / "social_exemptions.json").read_text(encoding="utf-8"))
        exemptions = [ExemptionCase(c["id"], c["label"], bool(c.get("to_confirm", True))) for c in exemptions_data["cases"]]
    except ReferenceDataError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(
            "La check-list livrée avec achatsdesk est illisible.",
            hint="Réinstallez achatsdesk ou restaurez le dossier « resources/rules » d'origine.",
            detail=repr(exc),
        ) from exc
    problems = [p for i in items for cond in (i.when, i.justify_when)
                for p in condition_problems(cond, f"élément « {i.id} » de la check-list")]
    if problems:
        raise ReferenceDataError("La check-list contient une condition incomprise : " + " ; ".join(problems) + ".",
                                 hint="Corrigez « resources/rules/checklist.json » ou restaurez-le.")
    if [s for s, _ in steps] != list(STEP_IDS):
        raise ReferenceDataError("Les étapes de la check-list ne sont pas celles attendues.", hint="Restaurez le fichier d'origine.")
    return ChecklistTemplate(steps, items, exemptions, exemptions_data.get("legal_basis", ""))


def build_checklist(template: ChecklistTemplate, assessment: Assessment, states: dict[str, ItemState]) -> list[ChecklistStep]:
    """The steps with the items that apply to this dossier, each with the buyer's answer."""
    steps = []
    for step_id, title in template.steps:
        items = []
        for item in (i for i in template.items if i.step == step_id):
            obligation = assessment.by_id(item.obligation_id) if item.obligation_id else None
            if item.obligation_id and obligation is None:
                continue
            if item.when is not None and not (assessment.facts and condition_holds(item.when, assessment.facts)):
                continue
            status = obligation.status if obligation else None
            justify = bool(item.justify_when is not None and assessment.facts
                           and condition_holds(item.justify_when, assessment.facts))
            items.append(ChecklistItem(
                id=item.id, step=step_id, title=item.title, obligation_id=item.obligation_id,
                obligation_status=status, mandatory=status == ObligationStatus.OBLIGATOIRE,
                state=states.get(item.id, ItemState()), exemption_cases=item.exemption_cases,
                justification_required=justify, justification_label=item.justification_label,
            ))
        steps.append(ChecklistStep(step_id, title, items))
    return steps


def justification_problem(item: ChecklistItem, state: ItemState, template: ChecklistTemplate) -> str | None:
    """Why this answer cannot be accepted, in French; None when it can.

    "Sans objet" on a mandatory item needs a written reason; when the law lists
    the exemption cases (social condition), one of them must be chosen too.
    "Fait" on an item that records a choice to justify (no lots, a dispense, a
    negotiated procedure) needs that justification.
    """
    if state.status == ItemStatus.FAIT and item.justification_required:
        if len(state.justification.strip()) < MIN_JUSTIFICATION:
            return (f"Justification requise avant de cocher « Fait » : {item.justification_label or item.title} "
                    f"(au moins {MIN_JUSTIFICATION} caractères).")
        return None
    if state.status != ItemStatus.SANS_OBJET or not item.mandatory:
        return None
    if item.exemption_cases:
        known = {c.id for c in template.exemptions}
        if state.exemption_case not in known:
            return "Cet élément est obligatoire : choisissez le cas de dispense prévu par la loi, puis justifiez-le."
    if len(state.justification.strip()) < MIN_JUSTIFICATION:
        return (
            "Cet élément est obligatoire : pour le déclarer sans objet, écrivez la justification "
            f"(au moins {MIN_JUSTIFICATION} caractères)."
        )
    return None


def validate_state(item: ChecklistItem, state: ItemState, template: ChecklistTemplate) -> None:
    problem = justification_problem(item, state, template)
    if problem:
        raise ValidationError(problem)


def remaining(steps: list[ChecklistStep]) -> list[ChecklistItem]:
    """What is still to do, mandatory items first."""
    todo = [i for s in steps for i in s.items if not i.done]
    return sorted(todo, key=lambda i: not i.mandatory)
