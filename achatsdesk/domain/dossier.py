"""The dossier: one procurement as the buyer describes it.

Plain dataclasses with their JSON form (the CLI input and the exchange file
use it). Money is held as Decimal euros HT with two decimals (cents), so that
an amount one cent below a threshold stays below it; storage keeps integer
cents and the JSON form writes whole amounts as integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from achatsdesk.domain.amounts import (  # noqa: F401 - the dossier's amount helpers, re-exported
    CENT,
    amount_json,
    format_amount,
    optional_amount,
    parse_amount_text,
    to_amount,
)
from achatsdesk.domain.checklist import ItemState
from achatsdesk.domain.dossier_schema import validate_dossier_data
from achatsdesk.domain.dossier_status import (  # noqa: F401 - re-exported
    STATUS_LABELS,
    DossierStatus,
)
from achatsdesk.domain.review import ReviewDecision
from achatsdesk.errors import ValidationError


class BuyerKind(StrEnum):
    ETAT = "etat"
    COLLECTIVITE = "collectivite"
    GROUPEMENT_COLLECTIVITES = "groupement_collectivites"  # EPCI, syndicats mixtes
    ETABLISSEMENT_PUBLIC = "etablissement_public"
    ENTITE_ADJUDICATRICE = "entite_adjudicatrice"


BUYER_KIND_LABELS = {
    BuyerKind.ETAT: "État et ses établissements",
    BuyerKind.COLLECTIVITE: "Collectivité territoriale",
    BuyerKind.GROUPEMENT_COLLECTIVITES: "Groupement de collectivités (EPCI, syndicat mixte)",
    BuyerKind.ETABLISSEMENT_PUBLIC: "Établissement public local",
    BuyerKind.ENTITE_ADJUDICATRICE: "Entité adjudicatrice (réseaux)",
}

# Until version 0.1 "defense_securite" was a kind of buyer; it is a kind of contract (Livre III
# of the code). Files and databases of that time are read as a defence contract of the State,
# the buyer of nearly every defence and security contract (migration 0007_contract_kind does
# the same for stored dossiers).
LEGACY_DEFENCE_BUYER_KIND = "defense_securite"


class ContractKind(StrEnum):
    MARCHE = "marche"
    ACCORD_CADRE = "accord_cadre"
    DEFENSE_SECURITE = "defense_securite"
    CONCESSION = "concession"


CONTRACT_KIND_LABELS = {
    ContractKind.MARCHE: "Marché public",
    ContractKind.ACCORD_CADRE: "Accord-cadre",
    ContractKind.DEFENSE_SECURITE: "Marché de défense ou de sécurité",
    ContractKind.CONCESSION: "Concession (non examinée par achatsdesk)",
}

# What the estimated amount includes (R2121-1 and following): the buyer says it, the explanation repeats it.
AMOUNT_INCLUDES = {
    "options": "les options",
    "reconductions": "les reconductions",
    "primes": "les primes versées aux candidats",
}


class Nature(StrEnum):
    TRAVAUX = "travaux"
    FOURNITURES = "fournitures"
    SERVICES = "services"


NATURE_LABELS = {Nature.TRAVAUX: "Travaux", Nature.FOURNITURES: "Fournitures", Nature.SERVICES: "Services"}


_CPV = re.compile(r"^\d{8}-\d$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


@dataclass
class Buyer:
    name: str = ""
    kind: BuyerKind = BuyerKind.COLLECTIVITE
    annual_purchases_eur: Decimal | None = None

    def __post_init__(self) -> None:
        if self.annual_purchases_eur is not None:
            self.annual_purchases_eur = to_amount(self.annual_purchases_eur)


@dataclass
class Lot:
    title: str
    cpv: str | None = None
    amount_eur: Decimal = Decimal(0)  # 0: not given yet ("à renseigner"), never judged as a 0 € lot
    small_lot: bool | None = None  # the buyer's choice for the small-lots exemption; None: not chosen

    def __post_init__(self) -> None:
        self.amount_eur = to_amount(self.amount_eur or 0)

    @property
    def amount_known(self) -> bool:
        return self.amount_eur > 0


@dataclass
class ClauseSelection:
    """A clause of the library chosen for this dossier, with its variable values."""

    clause_id: str
    version: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    lot: int | None = None  # index in Dossier.lots, None for the whole contract


# Bounds of the insertion-sizing factors a buyer may type (ratios are 0 to 1).
MAX_HOURLY_COST_EUR = Decimal(1000)
INSERTION_KEYS = ("labour_share", "rate", "hourly_cost", "taken_over_share")


@dataclass(frozen=True)
class InsertionFactors:
    """The factors of the insertion-hours sizing the buyer chose for this dossier.

    ``None`` means "the default in force": the labour share of each lot's CPV code
    in the labour-share table, the table's default rate and hourly cost. Kept as
    Decimal so that 0,05 stays 0,05 through the database and the exchange file.
    """

    labour_share: Decimal | None = None  # None: from the CPV code of each lot
    rate: Decimal | None = None  # None: the table's default (5 %)
    hourly_cost: Decimal | None = None  # € per hour, loaded; None: the table's default
    taken_over_share: Decimal = Decimal(0)  # share of the staff taken over (cleaning), excluded from the base

    def to_dict(self) -> dict[str, Any]:
        return {name: _json_number(getattr(self, name)) for name in INSERTION_KEYS}

    @classmethod
    def from_dict(cls, data: Any) -> InsertionFactors:
        """French ValidationError naming the factor at fault."""
        if not isinstance(data, dict):
            raise ValidationError(
                "Le champ « insertion » doit être un objet, par exemple "
                '{"labour_share": 0.5, "rate": 0.05, "hourly_cost": 30, "taken_over_share": 0}.'
            )
        unknown = sorted(set(data) - set(INSERTION_KEYS))
        if unknown:
            raise ValidationError(
                f"Facteur « insertion.{unknown[0]} » inconnu : facteurs possibles {', '.join(INSERTION_KEYS)}."
            )
        cost = _optional_decimal(data.get("hourly_cost"), "insertion.hourly_cost", "coût horaire chargé")
        if cost is not None and not (0 < cost <= MAX_HOURLY_COST_EUR):
            raise ValidationError(
                f"Le coût horaire chargé (« insertion.hourly_cost ») doit être compris entre 0 et "
                f"{MAX_HOURLY_COST_EUR} €/h, 0 exclu (reçu {data.get('hourly_cost')})."
            )
        taken = _optional_ratio(data.get("taken_over_share"), "insertion.taken_over_share", "part de personnel repris")
        return cls(
            labour_share=_optional_ratio(data.get("labour_share"), "insertion.labour_share", "part de main-d'œuvre"),
            rate=_optional_ratio(data.get("rate"), "insertion.rate", "taux d'insertion"),
            hourly_cost=cost,
            taken_over_share=taken if taken is not None else Decimal(0),
        )


@dataclass
class Dossier:
    title: str
    buyer: Buyer = field(default_factory=Buyer)
    nature: Nature = Nature.SERVICES
    cpv: list[str] = field(default_factory=list)  # main code first
    estimated_amount_eur: Decimal = Decimal(0)
    duration_months: int | None = None
    place_insee: str | None = None
    launch_date: date | None = None
    lots: list[Lot] = field(default_factory=list)
    reference: str = ""  # the buyer's own reference for the consultation
    status: DossierStatus = DossierStatus.BROUILLON
    clauses: list[ClauseSelection] = field(default_factory=list)
    # Added by the dossier work: identity across machines, the checklist answers,
    # the review history and the catalogue shortlist this dossier uses.
    uid: str = ""  # stable across export/import; empty until first stored
    items: dict[str, ItemState] = field(default_factory=dict)  # checklist answers by item id
    reviews: list[ReviewDecision] = field(default_factory=list)  # oldest first
    shortlist_id: int | None = None  # shortlist.id in the local database, if any
    insertion: InsertionFactors | None = None  # the buyer's sizing factors; None: defaults
    # Added by the legal engine (issue 11): the kind of contract, the framework agreement's
    # maximum, what the amount includes, and the AGEC categories of supplies that a works or
    # services contract includes (ids of cpv_mappings.json "agec").
    contract_kind: ContractKind = ContractKind.MARCHE
    framework_max_eur: Decimal | None = None
    amount_includes: list[str] = field(default_factory=list)
    agec_included_supplies: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.estimated_amount_eur = to_amount(self.estimated_amount_eur or 0)
        if self.framework_max_eur is not None:
            self.framework_max_eur = to_amount(self.framework_max_eur)

    @property
    def main_cpv(self) -> str | None:
        return self.cpv[0] if self.cpv else None

    @property
    def amount_from_lots(self) -> bool:
        """True when the lots carry amounts: their sum is then the dossier's amount. Lots added
        without amounts yet leave the estimate in force (adding an empty lot must not turn a
        1 200 000 € dossier into a 0 € one without publicity)."""
        return any(lot.amount_eur for lot in self.lots)

    @property
    def amount_eur(self) -> Decimal:
        """The amount the law looks at: a framework agreement's maximum when given, else the sum of
        the lots once lot amounts are given, else the estimate (exact, in cents)."""
        if self.contract_kind == ContractKind.ACCORD_CADRE and self.framework_max_eur:
            return self.framework_max_eur
        if self.amount_from_lots:
            return sum((to_amount(lot.amount_eur) for lot in self.lots), Decimal(0))
        return to_amount(self.estimated_amount_eur)

    # --- JSON form ------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "reference": self.reference,
            "buyer": {
                "name": self.buyer.name,
                "kind": self.buyer.kind.value,
                "annual_purchases_eur": amount_json(self.buyer.annual_purchases_eur),
            },
            "nature": self.nature.value,
            "cpv": list(self.cpv),
            "estimated_amount_eur": amount_json(self.estimated_amount_eur),
            "duration_months": self.duration_months,
            "place_insee": self.place_insee,
            "launch_date": self.launch_date.isoformat() if self.launch_date else None,
            "contract_kind": self.contract_kind.value,
            "framework_max_eur": amount_json(self.framework_max_eur),
            "amount_includes": list(self.amount_includes),
            "agec_included_supplies": list(self.agec_included_supplies),
            "lots": [{"title": lot.title, "cpv": lot.cpv, "amount_eur": amount_json(lot.amount_eur),
                      "small_lot": lot.small_lot} for lot in self.lots],
            "status": self.status.value,
            "clauses": [
                {"clause_id": c.clause_id, "version": c.version, "variables": dict(c.variables), "lot": c.lot}
                for c in self.clauses
            ],
            "uid": self.uid,
            "checklist": {item_id: state.to_dict() for item_id, state in self.items.items()},
            "reviews": [review.to_dict() for review in self.reviews],
            "shortlist_id": self.shortlist_id,
            "insertion": self.insertion.to_dict() if self.insertion is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Dossier:
        """Build a dossier from its JSON form; French ValidationError naming the field at fault."""
        # The published JSON Schema first: an unknown key or a wrong type is refused, never read as 0 €.
        validate_dossier_data(data)
        title = str(data.get("title") or "").strip()
        if not title:
            raise ValidationError("Le champ « title » (intitulé du dossier) est obligatoire.")
        buyer_data = data.get("buyer") or {}
        if not isinstance(buyer_data, dict):
            raise ValidationError("Le champ « buyer » doit être un objet.")
        kind_value = buyer_data.get("kind") or "collectivite"
        legacy_defence = kind_value == LEGACY_DEFENCE_BUYER_KIND
        buyer = Buyer(
            name=str(buyer_data.get("name") or ""),
            kind=BuyerKind.ETAT if legacy_defence else _enum(BuyerKind, kind_value, "buyer.kind"),
            annual_purchases_eur=optional_amount(buyer_data.get("annual_purchases_eur"), "buyer.annual_purchases_eur"),
        )
        cpv = data.get("cpv") or []
        if isinstance(cpv, str):
            cpv = [cpv]
        for code in cpv:
            if not isinstance(code, str) or not _CPV.match(code.strip()):
                raise ValidationError(f"Code CPV « {code} » invalide : forme attendue 12345678-9.")
        place = data.get("place_insee")
        if place is not None and (not isinstance(place, str) or not _INSEE.match(place.strip().upper())):
            raise ValidationError(f"Code INSEE de la commune « {place} » invalide : 5 caractères attendus (ex. 95127).")
        lots = []
        for index, lot in enumerate(data.get("lots") or [], start=1):
            if not isinstance(lot, dict):
                raise ValidationError(f"Le lot n° {index} doit être un objet.")
            lots.append(
                Lot(
                    title=str(lot.get("title") or f"Lot {index}"),
                    cpv=lot.get("cpv"),
                    amount_eur=optional_amount(lot.get("amount_eur"), f"lots[{index}].amount_eur") or Decimal(0),
                    small_lot=lot.get("small_lot"),
                )
            )
        clauses = [
            ClauseSelection(
                clause_id=str(c["clause_id"]),
                version=str(c.get("version") or ""),
                variables=dict(c.get("variables") or {}),
                lot=c.get("lot"),
            )
            for c in (data.get("clauses") or [])
            if isinstance(c, dict) and c.get("clause_id")
        ]
        return cls(
            title=title,
            reference=str(data.get("reference") or ""),
            buyer=buyer,
            nature=_enum(Nature, data.get("nature", "services"), "nature"),
            cpv=[c.strip() for c in cpv],
            estimated_amount_eur=optional_amount(data.get("estimated_amount_eur"), "estimated_amount_eur") or Decimal(0),
            duration_months=_optional_int(data.get("duration_months"), "duration_months"),
            place_insee=place.strip().upper() if isinstance(place, str) else None,
            launch_date=_optional_date(data.get("launch_date"), "launch_date"),
            lots=lots,
            status=_enum(DossierStatus, data.get("status", "brouillon"), "status"),
            clauses=clauses,
            uid=str(data.get("uid") or ""),
            items=_items(data.get("checklist")),
            reviews=[ReviewDecision.from_dict(r) for r in (data.get("reviews") or [])],
            shortlist_id=_optional_int(data.get("shortlist_id"), "shortlist_id"),
            insertion=None if data.get("insertion") is None else InsertionFactors.from_dict(data["insertion"]),
            contract_kind=ContractKind.DEFENSE_SECURITE if legacy_defence and not data.get("contract_kind")
            else _enum(ContractKind, data.get("contract_kind") or "marche", "contract_kind"),
            framework_max_eur=optional_amount(data.get("framework_max_eur"), "framework_max_eur"),
            amount_includes=list(data.get("amount_includes") or []),
            agec_included_supplies=list(data.get("agec_included_supplies") or []),
        )


# Statuses a change of content undoes: a decision (or a pending review) covers the dossier as it was.
REOPENED_BY_A_CHANGE = (DossierStatus.VALIDE, DossierStatus.A_RELIRE)


def content_of(dossier: Dossier) -> dict[str, Any]:
    """What a review decision covers: every field, lot, clause and checklist answer, but not the
    workflow (status, review history, identity) nor the reviewer's own comments on the items."""
    data = dossier.to_dict()
    for key in ("status", "reviews", "uid"):
        data.pop(key)
    blank = {k: v for k, v in ItemState().to_dict().items() if k != "comment"}
    answers = {item_id: {k: v for k, v in state.items() if k != "comment"} for item_id, state in data["checklist"].items()}
    data["checklist"] = {item_id: answer for item_id, answer in answers.items() if answer != blank}
    return data


def status_after_change(status: DossierStatus, before: Dossier, after: Dossier) -> DossierStatus:
    """A validated dossier, or one sent for review, goes back to draft when its content changes."""
    if status in REOPENED_BY_A_CHANGE and content_of(before) != content_of(after):
        return DossierStatus.BROUILLON
    return status


def _items(data) -> dict[str, ItemState]:
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise ValidationError("Le champ « checklist » doit être un objet (identifiant d'élément → état).")
    return {str(item_id): ItemState.from_dict(state, str(item_id)) for item_id, state in data.items()}


def _enum(kind, value, name):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(f"Valeur « {value} » invalide pour « {name} » : valeurs possibles {allowed}.") from None


def _optional_int(value, name) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(f"Le champ « {name} » doit être un nombre.")
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError(f"Le champ « {name} » doit être un nombre (reçu « {value} »).") from None
    if number < 0:
        raise ValidationError(f"Le champ « {name} » ne peut pas être négatif.")
    return int(round(number))


def _optional_decimal(value, key: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValidationError(f"Le champ « {key} » ({label}) doit être un nombre (reçu « {value} »).")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"Le champ « {key} » ({label}) doit être un nombre (reçu « {value} »).") from None
    if not number.is_finite():
        raise ValidationError(f"Le champ « {key} » ({label}) doit être un nombre fini (reçu « {value} »).")
    return number


def _optional_ratio(value, key: str, label: str) -> Decimal | None:
    number = _optional_decimal(value, key, label)
    if number is not None and not (0 <= number <= 1):
        raise ValidationError(
            f"Le champ « {key} » ({label}) doit être compris entre 0 et 1, par exemple 0.05 pour 5 % "
            f"(reçu {value})."
        )
    return number


def _json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an integer when whole, else a float (0.05 stays 0.05)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _optional_date(value, name) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(f"Date « {value} » invalide pour « {name} » : forme attendue AAAA-MM-JJ.") from None
