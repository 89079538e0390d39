"""The eForms tags of a clause: what the buyer reports in the notice (avis de marché).

A clause says which strategic-procurement tags it brings to the notice, with
the codes of the eForms code lists (OP-TED eForms SDK, codelists/
``environmental-impact.gc``, ``social-objective.gc``, ``gpp-criteria.gc``;
in force for notices since 25 Oct 2023, Implementing Regulation (EU)
2019/1780 as amended):

- BT-06 strategic procurement: ``env-imp``, ``soc-obj``, ``inn-pur``, ``none``;
- BT-774 green procurement, the environmental impacts aimed at (the six
  objectives of the EU taxonomy, Regulation (EU) 2020/852, and ``other``);
- BT-775 social procurement, the social objectives promoted;
- BT-805 green procurement criteria used: EU GPP criteria, national ones, other, none.

The French labels are our wording of those codes (the taxonomy's own words
for BT-774). Clause files written before this mapping used our own
categories ("cycle-de-vie", "insertion"...); they are read into the codes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from achatsdesk.errors import ValidationError

log = logging.getLogger(__name__)

STRATEGIC_PROCUREMENT = {  # BT-06
    "env-imp": "Réduction des incidences environnementales",
    "soc-obj": "Objectif social",
    "inn-pur": "Achat d'innovation",
    "none": "Aucun achat stratégique",
}


def is_environmental(tags: Mapping[str, Any]) -> bool:
    """A clause that makes the purchase green in the notice (BT-06 ``env-imp``): it belongs to the
    environmental step of the editor and counts in the environmental indicator."""
    return tags.get("BT-06") == "env-imp"


def is_social(tags: Mapping[str, Any]) -> bool:
    """A clause that gives the purchase a social objective in the notice (BT-06 ``soc-obj``)."""
    return tags.get("BT-06") == "soc-obj"


ENVIRONMENTAL_IMPACT = {  # BT-774
    "clim-mitig": "Atténuation du changement climatique",
    "clim-adapt": "Adaptation au changement climatique",
    "water-mar": "Utilisation durable et protection des ressources aquatiques et marines",
    "circ-econ": "Transition vers une économie circulaire",
    "pollu-prev": "Prévention et réduction de la pollution",
    "biodiv-eco": "Protection et restauration de la biodiversité et des écosystèmes",
    "other": "Autre",
}
SOCIAL_OBJECTIVE = {  # BT-775
    "opp": "Emploi des personnes défavorisées ou éloignées de l'emploi",
    "work-cond": "Conditions de travail équitables",
    "iao-core": "Normes fondamentales du travail de l'OIT",
    "hum-right": "Droits de l'homme dans les chaînes d'approvisionnement",
    "gen-eq": "Égalité entre les femmes et les hommes",
    "et-eq": "Égalité sans distinction d'origine",
    "acc-all": "Accessibilité pour tous",
    "other": "Autre",
}
GPP_CRITERIA = {  # BT-805
    "eu": "Critères de l'Union européenne pour les marchés publics écologiques",
    "national": "Critères nationaux",
    "other": "Autres critères",
    "none": "Aucun critère",
}
CODE_LISTS: dict[str, dict[str, str]] = {
    "BT-774": ENVIRONMENTAL_IMPACT,
    "BT-775": SOCIAL_OBJECTIVE,
    "BT-805": GPP_CRITERIA,
}
FIELD_LABELS = {
    "BT-06": "Achat stratégique",
    "BT-774": "Marché écologique : incidence environnementale",
    "BT-775": "Marché social : objectif social",
    "BT-805": "Critères écologiques utilisés",
}

# Our categories of the first clause files, read into the official codes.
_FORMER_CATEGORIES = {
    "BT-774": {
        "efficacite-energetique": "clim-mitig",
        "cycle-de-vie": "circ-econ",
        "label": "other",
        "systeme-management-environnemental": "other",
        "autre": "other",
    },
    "BT-775": {
        "insertion": "opp",
        "handicap": "opp",
        "egalite": "gen-eq",
        "conditions-travail": "work-cond",
        "droits-humains": "hum-right",
        "economie-sociale": "other",
    },
}


def read_tags(data: Any, clause_id: str, *, lenient: bool = False) -> dict[str, Any]:
    """A clause's ``eforms`` block checked against the code lists, former categories
    mapped, duplicates dropped. Raises ValidationError (French) on anything else.

    ``lenient``: for a clause already stored (a user clause saved by an earlier version):
    what is not a known code is left out rather than making the whole library unreadable.
    """
    def refuse(message: str, hint: str = "") -> None:
        if not lenient:
            raise ValidationError(message, hint=hint)
        log.warning("Stored clause %s: %s (left out)", clause_id, message)

    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        refuse(f"Les étiquettes eForms de la clause « {clause_id} » doivent être un objet JSON.")
        data = {}
    unknown_fields = sorted(set(data) - set(FIELD_LABELS))
    if unknown_fields:
        refuse(f"Champ eForms « {unknown_fields[0]} » inconnu dans la clause « {clause_id} ».",
               hint="Champs reconnus : " + ", ".join(FIELD_LABELS) + ".")
    strategic = data.get("BT-06", "none")
    if strategic not in STRATEGIC_PROCUREMENT:
        refuse(f"Valeur BT-06 « {strategic} » inconnue dans la clause « {clause_id} ».",
               hint="Valeurs possibles : " + ", ".join(STRATEGIC_PROCUREMENT) + ".")
        strategic = "none"
    tags: dict[str, Any] = {"BT-06": strategic}
    for field_id, code_list in CODE_LISTS.items():
        values = data.get(field_id, [])
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            refuse(f"{field_id} doit être une liste de codes dans la clause « {clause_id} ».")
            values = []
        codes: list[str] = []
        for value in values:
            code = _FORMER_CATEGORIES.get(field_id, {}).get(value, value)
            if code not in code_list:
                refuse(f"Code {field_id} « {value} » inconnu dans la clause « {clause_id} ».",
                       hint="Codes possibles : " + ", ".join(code_list) + ".")
            elif code not in codes:
                codes.append(code)
        tags[field_id] = codes
    return tags


def notice_tags(tag_sets: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The tags a set of chosen clauses brings to the notice, each code once, in code-list order.

    BT-06 lists the strategic aims present ("none" only when there is no other);
    BT-805 is given only when a clause says which criteria it uses.
    """
    found: dict[str, set[str]] = {field_id: set() for field_id in FIELD_LABELS}
    for tags in tag_sets:
        found["BT-06"].add(tags.get("BT-06", "none"))
        for field_id in CODE_LISTS:
            found[field_id].update(tags.get(field_id, ()))
    if len(found["BT-06"]) > 1:
        found["BT-06"].discard("none")
    lists = {"BT-06": STRATEGIC_PROCUREMENT, **CODE_LISTS}
    return {field_id: [code for code in lists[field_id] if code in found[field_id]] for field_id in FIELD_LABELS}


def code_label(field_id: str, code: str) -> str:
    return {"BT-06": STRATEGIC_PROCUREMENT, **CODE_LISTS}[field_id].get(code, code)


@dataclass(frozen=True)
class NoticeField:
    """One field of the notice to fill in, with its codes and their meanings."""

    field_id: str
    label: str  # "Marché social : objectif social (BT-775)"
    codes: tuple[tuple[str, str], ...]  # (code, meaning)


def notice_fields(tag_sets: Iterable[Mapping[str, Any]]) -> list[NoticeField]:
    """What the notice must declare for these clauses, field by field, for the annex, the
    review report and the window alike; empty when no clause makes a strategic purchase."""
    tags = notice_tags(tag_sets)
    if tags["BT-06"] in ([], ["none"]):
        return []
    return [
        NoticeField(field_id, f"{FIELD_LABELS[field_id]} ({field_id})",
                    tuple((code, code_label(field_id, code)) for code in codes))
        for field_id, codes in tags.items() if codes
    ]

