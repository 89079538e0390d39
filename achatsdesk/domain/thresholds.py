"""Dated thresholds (resources/rules/thresholds.json) and the procedure they imply.

Every threshold carries its source and the dates between which it applies
(both inclusive). The launch date of the consultation picks the thresholds:
that is when the law looks at the estimated amount.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.formatting import format_date_long, format_money
from achatsdesk.domain.obligations import Procedure
from achatsdesk.errors import ReferenceDataError

BUYER_KIND_PHRASES = {
    "etat": "l'État ou un de ses établissements",
    "collectivite": "une collectivité",
    "groupement_collectivites": "un groupement de collectivités",
    "etablissement_public": "un établissement public local",
    "entite_adjudicatrice": "une entité adjudicatrice",
    "defense_securite": "un marché de défense ou de sécurité",
}
NATURE_PHRASES = {"travaux": "des travaux", "fournitures": "des fournitures", "services": "des services"}
PROCEDURE_LABELS = {
    "dispense": "sans publicité ni mise en concurrence préalables",
    "mapa": "procédure adaptée (MAPA)",
    "formalisee": "procédure formalisée",
    "a_renseigner": "procédure à déterminer (montant à renseigner)",
    "non_examinee": "non examinée par achatsdesk (concession)",
}

# How a formalised procedure is chosen: never a free choice of negotiation for a pouvoir adjudicateur.
FORMALISED_CHOICE = {
    "entite_adjudicatrice": (
        "appel d'offres ou, au choix de l'entité adjudicatrice, procédure avec négociation avec mise en concurrence "
        "préalable (R2124-4) ; dialogue compétitif selon les conditions du code (à vérifier)"
    ),
    "defense_securite": (
        "marché de défense ou de sécurité (livre III) : procédure restreinte ou procédure avec négociation avec "
        "publication préalable ; dialogue compétitif dans les cas prévus (références du livre III à vérifier)"
    ),
}
FORMALISED_DEFAULT = (
    "appel d'offres ; la procédure avec négociation et le dialogue compétitif ne sont ouverts que dans les cas "
    "de R2124-3, à justifier (check-list)"
)


@dataclass(frozen=True)
class Threshold:
    id: str
    kind: str  # eu | dispense | publicity | spaser
    amount_eur: int
    label: str
    source: str
    valid_from: date | None
    valid_until: date | None
    natures: tuple[str, ...] | None = None  # None: every nature
    buyer_kinds: tuple[str, ...] | None = None  # None: every buyer
    to_confirm: bool = False

    def applies(self, day: date, nature: str | None = None, buyer_kind: str | None = None) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        if nature is not None and self.natures is not None and nature not in self.natures:
            return False
        return not (buyer_kind is not None and self.buyer_kinds is not None and buyer_kind not in self.buyer_kinds)

    def distance(self, day: date) -> int:
        """Days between ``day`` and this threshold's validity period (0 when inside)."""
        if self.valid_from and day < self.valid_from:
            return (self.valid_from - day).days
        if self.valid_until and day > self.valid_until:
            return (day - self.valid_until).days
        return 0


@dataclass(frozen=True)
class ThresholdChoice:
    """A threshold picked for a date; ``approximate`` when no value was known for that date."""

    threshold: Threshold
    approximate: bool = False

    @property
    def amount_eur(self) -> int:
        return self.threshold.amount_eur

    @property
    def to_confirm(self) -> bool:
        return self.approximate or self.threshold.to_confirm


class ThresholdTable:
    def __init__(self, thresholds: list[Threshold]) -> None:
        self.thresholds = thresholds

    def pick(self, kind: str, day: date, nature: str | None = None, buyer_kind: str | None = None) -> ThresholdChoice | None:
        """The threshold in force on ``day``; outside every known period, the nearest one, flagged approximate."""
        matching = [
            t for t in self.thresholds
            if t.kind == kind
            and (nature is None or t.natures is None or nature in t.natures)
            and (buyer_kind is None or t.buyer_kinds is None or buyer_kind in t.buyer_kinds)
        ]
        if not matching:
            return None
        in_force = [t for t in matching if t.applies(day)]
        if in_force:
            return ThresholdChoice(in_force[0])
        return ThresholdChoice(min(matching, key=lambda t: t.distance(day)), approximate=True)


def load_thresholds(path: Path) -> ThresholdTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        check_schema_version(data, path.name)
        rows = data["thresholds"]
        return ThresholdTable([
            Threshold(
                id=row["id"],
                kind=row["kind"],
                amount_eur=int(row["amount_eur"]),
                label=row["label"],
                source=row["source"],
                valid_from=date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None,
                valid_until=date.fromisoformat(row["valid_until"]) if row.get("valid_until") else None,
                natures=tuple(row["natures"]) if row.get("natures") else None,
                buyer_kinds=tuple(row["buyer_kinds"]) if row.get("buyer_kinds") else None,
                to_confirm=bool(row.get("to_confirm")),
            )
            for row in rows
        ])
    except ReferenceDataError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(
            f"Le fichier des seuils « {path.name} » est illisible.",
            hint="Réinstallez achatsdesk ou restaurez le fichier d'origine.",
            detail=repr(exc),
        ) from exc


RULES_FILES_SCHEMA_VERSION = 1


def check_schema_version(data: object, name: str) -> None:
    """Every rules file says which format it is written in; another one is refused in French."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != RULES_FILES_SCHEMA_VERSION:
        raise ReferenceDataError(
            f"Le fichier de règles « {name} » est au format {version!r}, cette version d'achatsdesk lit le format "
            f"{RULES_FILES_SCHEMA_VERSION}.",
            hint="Installez la version d'achatsdesk qui accompagne ces règles, ou restaurez le fichier d'origine.",
        )


def _confirm_note(choice: ThresholdChoice) -> str:
    if choice.approximate:
        return " (aucun seuil connu pour cette date : valeur de la période la plus proche, à vérifier)"
    if choice.threshold.to_confirm:
        return " (à vérifier)"
    return ""


def eu_threshold_phrase(choice: ThresholdChoice, nature: str, buyer_kind: str) -> str:
    """ "seuil européen de 216 000 € HT applicable à une collectivité pour des services" """
    phrase = (
        f"seuil européen de {format_money(choice.amount_eur)} applicable à "
        f"{BUYER_KIND_PHRASES.get(buyer_kind, buyer_kind)} pour {NATURE_PHRASES.get(nature, nature)}"
    )
    if nature == "travaux":
        phrase = f"seuil européen des travaux de {format_money(choice.amount_eur)}"
    return phrase + _confirm_note(choice)


def derive_procedure(table: ThresholdTable, amount_eur: int | Decimal, nature: str, buyer_kind: str, launch_date: date,
                     launch_date_given: bool = True) -> tuple[Procedure, ThresholdChoice | None, ThresholdChoice | None]:
    """dispense below the exemption threshold, formalisee at or above the EU threshold, mapa between.

    Compared exactly (Decimal, cents kept): 215 999,99 € is below a 216 000 € threshold and says so."""
    amount_eur = Decimal(str(amount_eur))
    eu = table.pick("eu", launch_date, nature, buyer_kind)
    dispense = table.pick("dispense", launch_date, nature, buyer_kind)
    amount = format_amount(amount_eur)
    when = (
        f"consultation lancée le {format_date_long(launch_date)}" if launch_date_given
        else f"date de lancement non renseignée : seuils du {format_date_long(launch_date)}"
    )
    source_eu = f" ({eu.threshold.source})" if eu else ""
    if eu and amount_eur >= eu.amount_eur:
        explanation = (
            f"Montant estimé {amount} ≥ {eu_threshold_phrase(eu, nature, buyer_kind)}{source_eu}, {when} : "
            f"{PROCEDURE_LABELS['formalisee']} ({FORMALISED_CHOICE.get(buyer_kind, FORMALISED_DEFAULT)})."
        )
        return Procedure("formalisee", eu.amount_eur, explanation), eu, dispense
    if dispense and amount_eur < dispense.amount_eur:
        explanation = (
            f"Montant estimé {amount} < {dispense.threshold.label} de {format_money(dispense.amount_eur)}"
            f"{_confirm_note(dispense)} ({dispense.threshold.source}), {when} : marché possible "
            f"{PROCEDURE_LABELS['dispense']}, en veillant à bien utiliser les deniers publics et à ne pas "
            "contracter systématiquement avec le même opérateur."
        )
        return Procedure("dispense", dispense.amount_eur, explanation), eu, dispense
    parts = [f"Montant estimé {amount}"]
    if dispense:
        parts.append(f" ≥ seuil de dispense de {format_money(dispense.amount_eur)}{_confirm_note(dispense)}")
    if eu:
        parts.append(f" et < {eu_threshold_phrase(eu, nature, buyer_kind)}{source_eu}")
    explanation = "".join(parts) + f", {when} : {PROCEDURE_LABELS['mapa']}, publicité adaptée au montant."
    return Procedure("mapa", eu.amount_eur if eu else None, explanation), eu, dispense
