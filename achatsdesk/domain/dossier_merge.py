"""A dossier changed on both sides: the three versions compared field by field.

A dossier taken away offline (services/offline.py) comes back to a server where
a colleague may have saved it meanwhile. The comparison has three versions: the
base (the dossier as it was when taken), mine (edited offline) and theirs (on
the server now). A field changed on one side only takes that side's value by
default; a field changed differently on both sides is for the buyer to choose.
The merge starts from theirs (it carries the server's review history) and puts
back the fields where the buyer chose "mine".

Fields are compared in the dossier's JSON form (``Dossier.to_dict``): the title,
the amounts, the dates, the lots, the CPV codes, each checklist answer (with its
justification and the reviewer's comment), the clause selections…
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.checklist import ITEM_STATUS_LABELS, ItemState, ItemStatus
from achatsdesk.domain.dossier import (
    AMOUNT_INCLUDES,
    BUYER_KIND_LABELS,
    CONTRACT_KIND_LABELS,
    NATURE_LABELS,
    BuyerKind,
    ContractKind,
    Dossier,
    Nature,
)
from achatsdesk.domain.dossier_status import STATUS_LABELS, DossierStatus
from achatsdesk.domain.formatting import format_date_field, format_number
from achatsdesk.errors import ValidationError

Choice = Literal["mine", "theirs"]
MINE: Choice = "mine"
THEIRS: Choice = "theirs"
CHECKLIST_PREFIX = "checklist:"

# The fields compared, in the order a buyer reads a dossier; checklist answers follow, one per item.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Intitulé"),
    ("reference", "Référence"),
    ("buyer.name", "Acheteur"),
    ("buyer.kind", "Type d'acheteur"),
    ("buyer.annual_purchases_eur", "Montant annuel des achats de l'acheteur"),
    ("nature", "Nature du marché"),
    ("contract_kind", "Type de contrat"),
    ("cpv", "Codes CPV"),
    ("estimated_amount_eur", "Montant estimé"),
    ("framework_max_eur", "Maximum de l'accord-cadre"),
    ("amount_includes", "Le montant comprend"),
    ("duration_months", "Durée"),
    ("place_insee", "Lieu d'exécution (code INSEE)"),
    ("launch_date", "Date de lancement"),
    ("lots", "Lots"),
    ("clauses", "Clauses retenues"),
    ("agec_included_supplies", "Fournitures AGEC incluses"),
    ("insertion", "Facteurs des heures d'insertion"),
    ("shortlist_id", "Présélection de fournisseurs"),
    ("status", "Statut"),
)
_LABELS = dict(FIELDS)
_BLANK_ANSWER = ItemState().to_dict()


@dataclass(frozen=True)
class FieldDifference:
    """One field whose value differs between the buyer's version and the server's.

    Values are in the dossier's JSON form (``format_value`` shows them in French).
    """

    key: str
    label: str
    base: Any
    mine: Any
    theirs: Any

    @property
    def mine_changed(self) -> bool:
        return self.mine != self.base

    @property
    def theirs_changed(self) -> bool:
        return self.theirs != self.base

    @property
    def both_changed(self) -> bool:
        """Changed differently on both sides: the buyer has to choose."""
        return self.mine_changed and self.theirs_changed

    @property
    def default_choice(self) -> Choice:
        """The side that changed; the buyer's own work when both did."""
        return THEIRS if self.theirs_changed and not self.mine_changed else MINE


def _get(data: dict[str, Any], key: str) -> Any:
    if key.startswith(CHECKLIST_PREFIX):
        answer = data.get("checklist", {}).get(key[len(CHECKLIST_PREFIX):])
        return None if answer == _BLANK_ANSWER else answer  # an untouched item is no answer
    value: Any = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    if key.startswith(CHECKLIST_PREFIX):
        answers = data.setdefault("checklist", {})
        item_id = key[len(CHECKLIST_PREFIX):]
        if value is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = copy.deepcopy(value)
        return
    *parents, last = key.split(".")
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = copy.deepcopy(value)


def _keys(*versions: dict[str, Any]) -> list[str]:
    items = sorted({item_id for data in versions for item_id in data.get("checklist", {})})
    return [key for key, _label in FIELDS] + [CHECKLIST_PREFIX + item_id for item_id in items]


def field_differences(base: Dossier, mine: Dossier, theirs: Dossier,
                      item_title: Callable[[str], str] | None = None) -> list[FieldDifference]:
    """The fields where mine and theirs differ, in reading order. ``item_title`` names a checklist item."""
    data = [version.to_dict() for version in (base, mine, theirs)]
    differences = []
    for key in _keys(*data):
        values = [_get(d, key) for d in data]
        if values[1] == values[2]:
            continue
        differences.append(FieldDifference(key, _label(key, item_title), *values))
    return differences


def _label(key: str, item_title: Callable[[str], str] | None) -> str:
    if key.startswith(CHECKLIST_PREFIX):
        item_id = key[len(CHECKLIST_PREFIX):]
        return f"Check-list : {item_title(item_id) if item_title else item_id}"
    return _LABELS[key]


def merge(base: Dossier, mine: Dossier, theirs: Dossier, choices: dict[str, Choice] | None = None) -> Dossier:
    """Theirs, with every differing field the buyer chose (or that only the buyer changed) taken from mine.

    ``choices`` maps a FieldDifference key to "mine" or "theirs"; a field not named takes its
    ``default_choice``. The server's review history and identity are kept. French ValidationError
    for an unknown field or choice.
    """
    choices = dict(choices or {})
    differences = {d.key: d for d in field_differences(base, mine, theirs)}
    for key, choice in choices.items():
        if choice not in (MINE, THEIRS):
            raise ValidationError(f"Choix « {choice} » inconnu pour « {key} » : « mine » (ma version) "
                                  "ou « theirs » (version du serveur).")
        if key not in differences:
            raise ValidationError(f"Le champ « {key} » ne diffère pas entre votre version et celle du serveur.",
                                  hint="Relancez « Rapporter » : la liste des différences a peut-être changé.")
    merged = theirs.to_dict()
    for key, difference in differences.items():
        if choices.get(key, difference.default_choice) == MINE:
            _set(merged, key, difference.mine)
    return Dossier.from_dict(merged)


# --- French display of a value ---------------------------------------------------------
def format_value(key: str, value: Any) -> str:
    """A field's value (JSON form) as the buyer reads it: French amounts, dates and labels."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if key.startswith(CHECKLIST_PREFIX):
        return _answer_text(value)
    if key.endswith("_eur"):
        return format_amount(Decimal(str(value)))
    formatter = _FORMATTERS.get(key)
    return formatter(value) if formatter is not None else str(value)


def _answer_text(answer: dict[str, Any]) -> str:
    parts = [ITEM_STATUS_LABELS[ItemStatus(answer.get("status", "a_faire"))]]
    if answer.get("justification"):
        parts.append(f"justification : « {answer['justification']} »")
    if answer.get("exemption_case"):
        parts.append(f"cas : {answer['exemption_case']}")
    if answer.get("comment"):
        parts.append(f"commentaire : « {answer['comment']} »")
    return " ; ".join(parts)


def _lots_text(lots: list[dict[str, Any]]) -> str:
    lines = []
    for number, lot in enumerate(lots, start=1):
        amount = lot.get("amount_eur") or 0
        shown = format_amount(Decimal(str(amount))) if amount else "montant à renseigner"
        lines.append(f"Lot {number} : {lot.get('title') or ''} ({shown})")
    return "\n".join(lines)


def _clauses_text(clauses: list[dict[str, Any]]) -> str:
    def one(clause: dict[str, Any]) -> str:
        lot = clause.get("lot")
        return clause["clause_id"] + (f" (lot {lot + 1})" if isinstance(lot, int) else "")

    return ", ".join(one(clause) for clause in clauses)


def _insertion_text(factors: dict[str, Any]) -> str:
    names = {"labour_share": "part de main-d'œuvre", "rate": "taux", "hourly_cost": "coût horaire",
             "taken_over_share": "part de personnel repris"}
    shown = []
    for name, label in names.items():
        value = factors.get(name)
        if value is None:
            continue
        number = Decimal(str(value))
        text = f"{format_number(number, 2)} €/h" if name == "hourly_cost" else f"{format_number(number * 100, 1)} %"
        shown.append(f"{label} {text}")
    return ", ".join(shown) or "valeurs par défaut"


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "buyer.kind": lambda v: BUYER_KIND_LABELS[BuyerKind(v)],
    "nature": lambda v: NATURE_LABELS[Nature(v)],
    "contract_kind": lambda v: CONTRACT_KIND_LABELS[ContractKind(v)],
    "status": lambda v: STATUS_LABELS[DossierStatus(v)],
    "cpv": lambda v: ", ".join(v),
    "amount_includes": lambda v: ", ".join(AMOUNT_INCLUDES.get(x, x) for x in v),
    "agec_included_supplies": lambda v: ", ".join(v),
    "duration_months": lambda v: f"{v} mois",
    "launch_date": lambda v: format_date_field(date.fromisoformat(v)),
    "lots": _lots_text,
    "clauses": _clauses_text,
    "insertion": _insertion_text,
    "shortlist_id": lambda v: f"n° {v}",
}
