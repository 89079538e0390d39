"""The DECP "considérations sociales / environnementales" of a contract, from its clauses.

The same reading of a clause as the notice's eForms codes (domain/eforms.py):
a clause is social when its BT-06 tag is ``soc-obj``, environmental when it is
``env-imp``. Its kind then says which consideration the DECP v2 schema names:

- an execution condition (or a technical specification) → "Clause sociale" /
  "Clause environnementale";
- an award criterion → "Critère social" / "Critère environnemental";
- a reservation → "Marché réservé" (social only).

So the notice, the published contract data and the SPASER figures read the same
tags and can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.eforms import notice_tags

SOCIAL = ("Clause sociale", "Critère social", "Marché réservé")
ENVIRONMENTAL = ("Clause environnementale", "Critère environnemental")
NO_SOCIAL = "Pas de considération sociale"
NO_ENVIRONMENTAL = "Pas de considération environnementale"

_SOCIAL_BY_KIND = {"critere-attribution": "Critère social", "reservation": "Marché réservé"}
_ENV_BY_KIND = {"critere-attribution": "Critère environnemental"}


@dataclass(frozen=True)
class Considerations:
    social: tuple[str, ...]  # in the schema's order; empty: none
    environmental: tuple[str, ...]

    @property
    def social_or_none(self) -> list[str]:
        return list(self.social) or [NO_SOCIAL]

    @property
    def environmental_or_none(self) -> list[str]:
        return list(self.environmental) or [NO_ENVIRONMENTAL]

    @property
    def reserved(self) -> bool:
        return "Marché réservé" in self.social


def considerations(templates: Iterable[ClauseTemplate]) -> Considerations:
    templates = list(templates)
    strategic = set(notice_tags(t.eforms for t in templates)["BT-06"])
    social: set[str] = set()
    environmental: set[str] = set()
    for template in templates:
        aim = template.eforms.get("BT-06", "none")
        if aim == "soc-obj" and "soc-obj" in strategic:
            social.add(_SOCIAL_BY_KIND.get(template.kind, "Clause sociale"))
        elif aim == "env-imp" and "env-imp" in strategic:
            if template.kind != "reservation":
                environmental.add(_ENV_BY_KIND.get(template.kind, "Clause environnementale"))
    return Considerations(tuple(c for c in SOCIAL if c in social), tuple(c for c in ENVIRONMENTAL if c in environmental))


def templates_for_lot(selections, library, lot: int, lot_count: int) -> list[ClauseTemplate]:
    """The clauses chosen for a lot (1-based) or for the whole contract."""
    out = []
    for selection in selections:
        index = None if selection.lot is None else selection.lot + 1
        if index is None or index == lot or lot_count <= 1:
            template = library.get(selection.clause_id)
            if template is not None:
                out.append(template)
    return out
