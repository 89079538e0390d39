"""One source for each figure of a dossier, and the consistency check before export.

The amount (sum of the lots once they carry amounts, else the estimate), the
insertion hours (per lot and pooled, from the sizing) and the hours each chosen
clause states come from here, so that the editor's panel, the Word annex, the
review PDF, the indicators and the CLI all say the same thing:

- a clause variable fed by the sizing (``prefill: insertion_hours``) follows the
  sizing: the whole contract's clause takes the pooled total, a clause chosen for
  one lot that lot's hours;
- unless the buyer typed another figure: that figure is the clause's (it is the
  commitment the documents state), and it is shown beside the computed one,
  "2 000 h saisies, 1 350 h calculées".

``consistency_warnings`` lists what should be looked at before sending the
dossier on: lots vs estimate, a lot without amount or CPV code, hours vs sizing,
mandatory obligations without clause or justification, a reserved lot on an
undivided contract, values left at a clause's defaults, "à vérifier" content.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import Dossier, format_amount
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.insertion import InsertionSizing, LabourShareTable
from achatsdesk.errors import ValidationError

HOURS_PREFILL = "insertion_hours"


def hours_text(hours: int | Decimal) -> str:
    return f"{format_number(hours)}\u00a0h"


@dataclass(frozen=True)
class ClauseHours:
    """The insertion hours one chosen clause states, and what the sizing gives for its scope."""

    clause_id: str
    clause_title: str
    variable: str
    lot: int | None  # index of the lot, None for the whole contract
    scope: str  # "Marché entier" or "Lot 2 : Collèges de l'est"
    computed: int | None  # None when the sizing cannot be computed
    entered: int | None  # the buyer's own figure, None when the clause follows the sizing

    @property
    def stated(self) -> int | None:
        """The figure the clause states (and the documents and indicators carry)."""
        return self.entered if self.entered is not None else self.computed

    @property
    def overridden(self) -> bool:
        return self.entered is not None and self.entered != self.computed

    def text(self) -> str:
        """ "2 000 h saisies, 1 350 h calculées", or "1 350 h" when the clause follows the sizing."""
        if self.overridden:
            computed = f", {hours_text(self.computed)} calculées" if self.computed is not None else ""
            return f"{hours_text(self.entered)} saisies{computed}"
        return hours_text(self.stated) if self.stated is not None else "non calculées"


@dataclass(frozen=True)
class ConsistencyWarning:
    code: str  # lots-vs-estimate, lot-amount, lot-cpv, hours, mandatory, reserved-lot, defaults, to-confirm
    message: str  # French, one sentence
    step: str = ""  # the editor's step to go to
    item: str = ""  # the checklist item, when one answers it


@dataclass(frozen=True)
class DossierFigures:
    amount_eur: Decimal
    amount_from_lots: bool
    sizing: InsertionSizing | None
    sizing_error: str
    clause_hours: tuple[ClauseHours, ...]

    @property
    def computed_total(self) -> int | None:
        return self.sizing.total_hours if self.sizing is not None else None

    def amount_text(self) -> str:
        source = "somme des lots" if self.amount_from_lots else "montant estimé"
        return f"{format_amount(self.amount_eur)} ({source})"


def _lot_scope(dossier: Dossier, lot: int | None) -> str:
    if lot is None or not 0 <= lot < len(dossier.lots):
        return "Marché entier"
    return f"Lot {lot + 1} : {dossier.lots[lot].title}"


def _as_int(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _sizing(dossier: Dossier, table: LabourShareTable | None = None) -> tuple[InsertionSizing | None, str]:
    from achatsdesk.services.insertion_sizing import size_dossier_insertion

    try:
        return size_dossier_insertion(dossier, table=table), ""
    except ValidationError as exc:
        return None, exc.message


def _computed_for(sizing: InsertionSizing | None, dossier: Dossier, lot: int | None) -> int | None:
    if sizing is None:
        return None
    if lot is None:
        return int(sizing.total_hours)
    if dossier.lots and len(sizing.lines) == len(dossier.lots) and 0 <= lot < len(sizing.lines):
        return int(sizing.lines[lot].hours)
    return None


def dossier_figures(dossier: Dossier, library, table: LabourShareTable | None = None) -> DossierFigures:
    """The figures of a dossier; ``library`` finds clause templates by id (ClauseLibrary or a dict);
    ``table``: the labour-share table in force, when the caller has read it already (else read here)."""
    sizing, error = _sizing(dossier, table)
    hours = []
    for selection in dossier.clauses:
        template = _find(library, selection.clause_id)
        if template is None:
            continue
        for variable in template.variables:
            if variable.prefill != HOURS_PREFILL:
                continue
            computed = _computed_for(sizing, dossier, selection.lot)
            entered = _as_int(selection.variables.get(variable.name))
            if entered is not None and entered == computed:
                entered = None  # the clause says what the sizing says: it follows it
            hours.append(ClauseHours(template.id, template.title, variable.name, selection.lot,
                                     _lot_scope(dossier, selection.lot), computed, entered))
    return DossierFigures(dossier.amount_eur, dossier.amount_from_lots, sizing, error, tuple(hours))


def _find(library, clause_id: str) -> ClauseTemplate | None:
    if isinstance(library, dict):
        return library.get(clause_id)
    return library.find(clause_id)


def resolved_dossier(dossier: Dossier, library, table: LabourShareTable | None = None) -> Dossier:
    """A copy whose chosen clauses carry the hours they state: the buyer's figure, else the sizing's
    (never the template's default). What the annex, the review PDF and the indicators render.

    Only the chosen clauses are copied (their values changed here): the rest (lots, checklist,
    reviews) is the dossier's own, to read, not to change. A deep copy of the whole dossier was
    most of the indicators' time when hundreds of dossiers are resolved."""
    figures = dossier_figures(dossier, library, table)
    resolved = dataclasses.replace(dossier, clauses=[
        dataclasses.replace(selection, variables=dict(selection.variables)) for selection in dossier.clauses])
    by_clause = {(h.clause_id, h.lot, h.variable): h for h in figures.clause_hours}
    for selection in resolved.clauses:
        template = _find(library, selection.clause_id)
        for variable in template.variables if template is not None else ():
            found = by_clause.get((selection.clause_id, selection.lot, variable.name))
            if found is not None and found.stated is not None:
                selection.variables[variable.name] = found.stated
    return resolved


def hours_note(figures: DossierFigures, clause_id: str, lot: int | None) -> str:
    """The note the documents print under a clause whose hours were typed over the sizing."""
    for hours in figures.clause_hours:
        if hours.clause_id == clause_id and hours.lot == lot and hours.overridden:
            return (f"Heures d'insertion : {hours.text()} par le dimensionnement du dossier "
                    "(le chiffre saisi est celui de la clause).")
    return ""


def hours_summary(figures: DossierFigures) -> list[str]:
    """One line per clause stating hours: "Insertion (Lot 1 : …) : 2 000 h saisies, 1 350 h calculées"."""
    return [f"{h.clause_title} ({h.scope}) : {h.text()}" for h in figures.clause_hours]


# --- the consistency check ---------------------------------------------------------------
def consistency_warnings(dossier: Dossier, library, *, known_cpv=None) -> list[ConsistencyWarning]:
    """What to look at before an export (see the module docstring). ``known_cpv(code) -> bool``
    tells whether a CPV code is in the nomenclature (with a database); without it only the form is checked."""
    from achatsdesk.services.dossier_rules import analyse

    warnings: list[ConsistencyWarning] = []
    figures = dossier_figures(dossier, library)
    estimate = dossier.estimated_amount_eur
    if dossier.amount_from_lots and estimate and figures.amount_eur != estimate:
        warnings.append(ConsistencyWarning(
            "lots-vs-estimate",
            f"La somme des lots ({format_amount(figures.amount_eur)}) diffère du montant estimé "
            f"({format_amount(estimate)}) : les seuils sont appliqués à la somme des lots.", "allotissement"))
    for index, lot in enumerate(dossier.lots, start=1):
        name = f"Le lot {index} « {lot.title} »"
        if dossier.amount_from_lots and not lot.amount_eur:
            warnings.append(ConsistencyWarning("lot-amount", f"{name} n'a pas de montant.", "allotissement"))
        if not lot.cpv:
            warnings.append(ConsistencyWarning(
                "lot-cpv", f"{name} n'a pas de code CPV : les heures d'insertion utilisent celui du dossier.",
                "allotissement"))
        elif known_cpv is not None and not known_cpv(lot.cpv):
            warnings.append(ConsistencyWarning(
                "lot-cpv", f"{name} a un code CPV inconnu ({lot.cpv}) : choisissez-le dans la nomenclature.",
                "allotissement"))
    for hours in figures.clause_hours:
        if hours.overridden:
            warnings.append(ConsistencyWarning(
                "hours", f"Clause « {hours.clause_title} » ({hours.scope}) : {hours.text()} par le "
                "dimensionnement. Vérifiez le chiffre retenu.", "social"))
    analysis = analyse(dossier)
    for step in analysis.steps:
        for item in step.items:
            if item.mandatory and item.status.value == "a_faire":
                warnings.append(ConsistencyWarning(
                    "mandatory", f"« {item.title} » est obligatoire et n'a encore ni clause ni justification.",
                    step.id, item.id))
    for selection in dossier.clauses:
        template = _find(library, selection.clause_id)
        if template is None:
            continue
        values = {**template.defaults(), **selection.variables}
        if template.kind == "reservation" and not dossier.lots and (
                selection.lot is not None or "lot" in str(values.get("objet", "")).lower()):
            warnings.append(ConsistencyWarning(
                "reserved-lot", f"La clause « {template.title} » réserve un lot alors que le marché n'est pas "
                "alloti : réservez le marché entier ou créez les lots.", "allotissement"))
        untouched = [v.label for v in template.variables
                     if v.default is not None and v.prefill is None and v.name not in selection.variables]
        if untouched:
            warnings.append(ConsistencyWarning(
                "defaults", f"Clause « {template.title} » : {', '.join(untouched)} "
                f"{'est resté' if len(untouched) == 1 else 'sont restés'} à la valeur par défaut.", "social"))
        if template.to_confirm:
            warnings.append(ConsistencyWarning(
                "to-confirm", f"La clause « {template.title} » contient des points « à vérifier » : "
                f"{' ; '.join(template.to_confirm)}.", "social"))
    for obligation in analysis.assessment.obligations:
        if obligation.to_confirm:
            warnings.append(ConsistencyWarning(
                "to-confirm", f"L'obligation « {obligation.title} » est marquée « à vérifier » : elle n'a pas "
                "encore été relue dans un texte officiel.", "besoin"))
    return warnings
