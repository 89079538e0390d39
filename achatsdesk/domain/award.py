"""The award of a lot: who won it, when it was notified, for how much.

A validated dossier is awarded lot by lot (a dossier without lots has one
lot, number 1). The holder is named by its SIRET, checked with python-stdnum
(length and Luhn key; La Poste's exception included); when the SIRET is in the
catalogue, the holder's kind (SIAE, EA, ESAT, GEIQ...) is taken from there so
an award to an inclusive supplier is counted as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from achatsdesk.domain.amounts import amount_json, optional_amount, parse_amount_text, to_amount
from achatsdesk.domain.plural import count_of
from achatsdesk.errors import ValidationError

# The procedures a contract can be awarded under, with the DECP v2 label (schema enum "procedure").
PROCEDURES = {
    "adaptee": "Procédure adaptée",
    "ao-ouvert": "Appel d'offres ouvert",
    "ao-restreint": "Appel d'offres restreint",
    "negociee": "Procédure avec négociation",
    "dialogue": "Dialogue compétitif",
    "sans-publicite": "Marché passé sans publicité ni mise en concurrence préalable",
}

# Catalogue kinds counted as inclusive (insertion, disability): an award to one of them is
# "attribué à une structure inclusive" in the indicators.
INCLUSIVE_KINDS = frozenset({"ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA", "EATT", "ESAT", "SEP"})


def check_siret(value: Any, whose: str = "du titulaire") -> str:
    """The SIRET as 14 digits, or a French ValidationError saying what is wrong."""
    text = "".join(str(value or "").split())
    if not text:
        raise ValidationError(f"Le SIRET {whose} est obligatoire (14 chiffres).")
    try:
        return stdnum_siret.validate(text)
    except StdnumError:
        raise ValidationError(
            f"Le SIRET {whose} « {value} » n'est pas valide : 14 chiffres attendus, dont une clé de contrôle.",
            hint="Recopiez-le depuis l'avis de situation SIRENE ou l'annuaire-entreprises.data.gouv.fr.",
        ) from None


@dataclass(frozen=True)
class Award:
    lot: int  # 1-based lot number; 1 for a dossier without lots
    holder_siret: str
    holder_name: str
    notified_on: date
    amount_eur: Decimal
    duration_months: int | None = None
    offers_received: int | None = None
    procedure: str = "adaptee"  # key of PROCEDURES
    holder_kind: str | None = None  # from the catalogue when the SIRET is there

    @property
    def inclusive(self) -> bool:
        return self.holder_kind in INCLUSIVE_KINDS

    @property
    def end_date(self) -> date | None:
        """Notification date plus the duration (the last day of execution)."""
        if self.duration_months is None:
            return None
        return add_months(self.notified_on, self.duration_months)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lot": self.lot, "holder_siret": self.holder_siret, "holder_name": self.holder_name,
            "holder_kind": self.holder_kind, "notified_on": self.notified_on.isoformat(),
            "amount_eur": amount_json(self.amount_eur), "duration_months": self.duration_months,
            "offers_received": self.offers_received, "procedure": self.procedure,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Award:
        if not isinstance(data, dict):
            raise ValidationError("Une attribution doit être un objet JSON.")
        return make_award(
            lot=data.get("lot"), siret=data.get("holder_siret"), name=data.get("holder_name") or "",
            notified_on=data.get("notified_on"), amount=data.get("amount_eur"),
            duration_months=data.get("duration_months"), offers_received=data.get("offers_received"),
            procedure=data.get("procedure") or "adaptee", holder_kind=data.get("holder_kind"),
        )


def make_award(*, lot: Any, siret: Any, name: str, notified_on: Any, amount: Any, duration_months: Any = None,
               offers_received: Any = None, procedure: str = "adaptee", holder_kind: str | None = None,
               lot_count: int | None = None) -> Award:
    """An Award from typed or read values, every field checked, French errors naming the field."""
    number = _positive_int(lot, "lot", minimum=1)
    if number is None:
        raise ValidationError("Le numéro du lot est obligatoire (1 pour un marché sans lots).")
    if lot_count is not None and number > max(lot_count, 1):
        raise ValidationError(f"Le lot n° {number} n'existe pas : ce dossier a {count_of(max(lot_count, 1), 'lot')}.")
    when = _date(notified_on, "date de notification")
    # Typed French style ("490 000", "1 250,50 € HT") as well as numbers.
    value = parse_amount_text(amount) if isinstance(amount, str) else optional_amount(amount, "montant attribué")
    if value is None or value <= 0:
        raise ValidationError("Le montant attribué (HT) est obligatoire et doit être positif.")
    if procedure not in PROCEDURES:
        raise ValidationError(f"Procédure « {procedure} » inconnue : valeurs possibles {', '.join(PROCEDURES)}.")
    return Award(
        lot=number, holder_siret=check_siret(siret), holder_name=str(name or "").strip(), notified_on=when,
        amount_eur=to_amount(value), duration_months=_positive_int(duration_months, "durée (mois)", minimum=1),
        offers_received=_positive_int(offers_received, "nombre d'offres reçues", minimum=0),
        procedure=procedure, holder_kind=holder_kind or None,
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is in the same month or before)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _date(value: Any, label: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    from datetime import datetime

    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"La {label} « {value} » est invalide : forme attendue AAAA-MM-JJ ou JJ/MM/AAAA.")


def _positive_int(value: Any, label: str, minimum: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"Le champ « {label} » doit être un nombre entier (reçu « {value} »).") from None
    if number < minimum:
        raise ValidationError(f"Le champ « {label} » doit être au moins {minimum} (reçu {number}).")
    return number
