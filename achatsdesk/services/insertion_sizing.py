"""Insertion hours of a dossier: the factors in force (given, saved with the dossier, or the
defaults of the labour-share table), the sizing per lot, and the chosen clauses that follow it.

heures = montant HT × part de main-d'œuvre × taux ÷ coût horaire (domain/insertion.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from achatsdesk.domain.dossier import Dossier, InsertionFactors
from achatsdesk.domain.insertion import (
    InsertionLine,
    InsertionSizing,
    LabourShareTable,
    LotInput,
    size_line,
    size_lots,
)
from achatsdesk.errors import ValidationError
from achatsdesk.services.clause_library import ClauseLibrary
from achatsdesk.services.rule_settings import labour_table

UNSET: Any = object()  # "not given": the dossier's own factor (or the default) applies


def sizing_factors(
    dossier: Dossier,
    *,
    rate: Any = UNSET,
    hourly_cost: Any = UNSET,
    labour_share: Any = UNSET,
    taken_over_share: Any = UNSET,
) -> dict[str, Any]:
    """The factors of the sizing: each one given here wins over the dossier's saved one
    (``dossier.insertion``), which wins over the defaults of the labour-share table."""
    saved = dossier.insertion or InsertionFactors()
    taken = saved.taken_over_share if taken_over_share is UNSET or taken_over_share is None else taken_over_share
    return {
        "rate": saved.rate if rate is UNSET else rate,
        "hourly_cost": saved.hourly_cost if hourly_cost is UNSET else hourly_cost,
        "labour_share": saved.labour_share if labour_share is UNSET else labour_share,
        "taken_over_share": taken,
    }


def factors_in_force(insertion: InsertionFactors | None, table: LabourShareTable | None = None) -> dict[str, Any]:
    """The factors a dossier's sizing uses: its saved ones, else the table's default rate and
    hourly cost (``labour_share`` None: each lot's CPV decides). What the window shows."""
    table = table or labour_table()
    saved = insertion or InsertionFactors()
    return {
        "labour_share": saved.labour_share,
        "rate": table.default_rate if saved.rate is None else saved.rate,
        "hourly_cost": table.default_hourly_cost if saved.hourly_cost is None else saved.hourly_cost,
        "taken_over_share": saved.taken_over_share,
    }


def size_dossier_insertion(
    dossier: Dossier,
    *,
    rate: Any = UNSET,
    hourly_cost: Any = UNSET,
    labour_share: Any = UNSET,
    taken_over_share: Any = UNSET,
    table: LabourShareTable | None = None,
) -> InsertionSizing:
    """Per lot (each with its CPV's labour share) or the whole contract, then pooled.

    Factors not given come from the dossier's saved ones, then from the table's
    defaults (``None`` given explicitly means "the default")."""
    table = table or labour_table()
    factors = sizing_factors(
        dossier, rate=rate, hourly_cost=hourly_cost, labour_share=labour_share, taken_over_share=taken_over_share
    )
    if dossier.lots:
        lots = [
            LotInput(lot.title or f"Lot {i}", lot.amount_eur, lot.cpv or dossier.main_cpv)
            for i, lot in enumerate(dossier.lots, start=1)
        ]
    else:
        lots = [LotInput("Marché entier", dossier.amount_eur, dossier.main_cpv)]
    return size_lots(
        lots, table, rate=factors["rate"], hourly_cost=factors["hourly_cost"],
        taken_over_share=factors["taken_over_share"], labour_share_override=factors["labour_share"],
    )


def follow_sizing(before: Dossier, after: Dossier, library: ClauseLibrary,
                  table: LabourShareTable | None = None) -> None:
    """After a change of the sizing factors, the chosen clauses whose hours still are the
    figure computed before (the buyer did not type their own) take the new figure: the
    pooled total for the whole contract, each lot's hours for a clause chosen for a lot.
    Hours the buyer typed are left alone."""
    try:
        old, new = size_dossier_insertion(before, table=table), size_dossier_insertion(after, table=table)
    except ValidationError:
        return
    for selection in after.clauses:
        clause = library.find(selection.clause_id)
        if clause is None:
            continue
        if selection.lot is None:
            old_hours, new_hours = old.total_hours, new.total_hours
        elif len(after.lots) == len(new.lines) == len(old.lines) and 0 <= selection.lot < len(new.lines):
            old_hours, new_hours = old.lines[selection.lot].hours, new.lines[selection.lot].hours
        else:
            continue
        for variable in clause.variables:
            if variable.prefill == "insertion_hours" and selection.variables.get(variable.name) == old_hours:
                selection.variables[variable.name] = new_hours


def size_amount(amount_eur: Decimal, *, labour_share: Decimal | None = None, cpv: str | None = None,
                rate: Decimal | None = None, hourly_cost: Decimal | None = None,
                taken_over_share: Decimal = Decimal(0), table: LabourShareTable | None = None) -> InsertionLine:
    """The hours for one amount (``insertion hours`` of the command line): a factor not given is
    the table's (the labour share of ``cpv``, the default rate and hourly cost)."""
    table = table or labour_table()
    source, to_confirm = "Valeur saisie", False
    if labour_share is None:
        if not cpv:
            raise ValidationError("Indiquez la part de main-d'œuvre (par exemple 0,5) ou un code CPV pour la lire dans le tableau.")
        found = table.lookup(cpv)
        labour_share, source, to_confirm = found.share, found.source, found.to_confirm
    return size_line("Marché", amount_eur, labour_share, table.default_rate if rate is None else rate,
                     table.default_hourly_cost if hourly_cost is None else hourly_cost, taken_over_share,
                     source=source, to_confirm=to_confirm, cpv=cpv)
