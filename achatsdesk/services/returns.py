"""The yearly returns a buyer owes, from what was recorded: the DECP v2 data of the
awarded contracts, the AGEC art. 58 declaration and the SPASER realised figures.

Every return reads the same contract lines (services/returns.contract_lines):
one per awarded lot, with the considerations of its clauses read through the
eForms tags, so the notice, the contract data and the SPASER figures agree.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from achatsdesk.documents.decp_json import DEFAULTED, contract_id, decp_document, write_decp
from achatsdesk.domain.award import PROCEDURES, check_siret
from achatsdesk.domain.decp_considerations import considerations, templates_for_lot
from achatsdesk.domain.execution import HOURS, follow_up
from achatsdesk.domain.spaser import ContractLine, SpaserLine, spaser_lines
from achatsdesk.errors import ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.dossiers import get_dossier, list_dossiers
from achatsdesk.services.execution import execution_rules, library_map
from achatsdesk.storage import execution_repository as repo
from achatsdesk.storage.database import Database

# --- contract lines ----------------------------------------------------------------


def contract_lines(database: Database, year: int | None = None, buyer_siret: str = "",
                   with_published: bool = False) -> list[ContractLine]:
    """One line per awarded lot of the stored dossiers (notified in ``year`` when given);
    with ``with_published``, the contracts read from DECP files too."""
    library = library_map(database)
    with database.unit_of_work() as session:
        awards = repo.all_awards(session)
        figures = repo.all_figures(session)
    lines: list[ContractLine] = []
    for summary in list_dossiers(database):
        if summary.id not in awards:
            continue
        dossier = get_dossier(database, summary.id).dossier
        follow = follow_up(dossier, awards[summary.id], figures.get(summary.id, []), library, execution_rules(),
                           date.today())
        progress = {lot.lot: lot for lot in follow.lots}
        for award in awards[summary.id]:
            if year is not None and award.notified_on.year != year:
                continue
            chosen = templates_for_lot(dossier.clauses, library, award.lot, len(dossier.lots))
            lot_title = dossier.lots[award.lot - 1].title if len(dossier.lots) >= award.lot else ""
            lot_cpv = dossier.lots[award.lot - 1].cpv if len(dossier.lots) >= award.lot else None
            lot_follow = progress.get(award.lot)
            hours = [p for p in lot_follow.progress if p.commitment.unit == HOURS] if lot_follow else []
            people = sum(sum(f.beneficiaries.values()) for f in figures.get(summary.id, []) if f.lot == award.lot)
            lines.append(ContractLine(
                source=f"dossier n° {summary.id}",
                contract_id=contract_id(dossier.reference, summary.id, award.lot),
                service=dossier.buyer.name or "Service non renseigné",
                buyer_siret=buyer_siret,
                title=f"{dossier.title} — {lot_title}" if lot_title and len(dossier.lots) > 1 else dossier.title,
                nature=dossier.nature.value,
                cpv=(lot_cpv or dossier.main_cpv or "").split("-")[0],
                lot=award.lot,
                holder_siret=award.holder_siret, holder_name=award.holder_name, holder_kind=award.holder_kind,
                amount_eur=award.amount_eur, notified_on=award.notified_on,
                procedure=PROCEDURES[award.procedure], duration_months=award.duration_months,
                offers_received=award.offers_received, considerations=considerations(chosen),
                place_insee=dossier.place_insee,
                hours_planned=sum((p.commitment.planned for p in hours), Decimal(0)),
                hours_realised=sum((p.realised for p in hours), Decimal(0)),
                beneficiaries=people,
            ))
    if with_published:
        from achatsdesk.services.decp_import import published_lines

        lines.extend(line for line in published_lines(database) if year is None or line.year == year)
    return lines


# --- DECP v2 ---------------------------------------------------------------------------
@dataclass
class ReturnOutcome:
    path: Path
    rows: int
    skipped: list[str] = field(default_factory=list)  # "Nettoyage — lot 2 : …"
    to_check: list[str] = field(default_factory=list)  # fields filled with a usual value, "à vérifier"
    notes: list[str] = field(default_factory=list)


def _missing(line: ContractLine) -> str:
    if not line.place_insee:
        return "commune d'exécution non renseignée dans le dossier"
    if not line.offers_received:
        return "nombre d'offres reçues non renseigné dans l'attribution"
    if not line.duration_months:
        return "durée non renseignée"
    if not line.cpv:
        return "code CPV non renseigné"
    return ""


def export_decp(database: Database, year: int, target: Path, buyer_siret: str,
                published_on: date | None = None) -> ReturnOutcome:
    """The awarded contracts notified in ``year`` as a DECP v2 JSON file."""
    siret = check_siret(buyer_siret, "de l'acheteur")
    kept, skipped, ids = [], [], set()
    lines = sorted(contract_lines(database, year, siret), key=lambda c: (int(c.source.split()[-1]), c.lot))
    for line in lines:  # oldest dossier first: it keeps its reference as identifier
        reason = _missing(line)
        if reason:
            skipped.append(f"{line.title} — lot {line.lot} : {reason}")
            continue
        if line.contract_id in ids:  # two dossiers with the same reference: the dossier number decides
            line = replace(line, contract_id=contract_id("", int(line.source.split()[-1]), line.lot))
        ids.add(line.contract_id)
        kept.append(line)
    path = write_decp(decp_document(kept, published_on or date.today()), target)
    to_check = [f"{name} ({label})" for name, label in DEFAULTED.items()] if kept else []
    return ReturnOutcome(path, len(kept), skipped, to_check)


# --- AGEC art. 58 ------------------------------------------------------------------------
AGEC_FIELDS = ("annee", "siret", "raison_sociale", "type_produit_acquis", "montant_total",
               "montant_reemploi_et_reutilisation", "montant_produits_issus_don", "montant_produits_recycles",
               "commentaires")


@lru_cache(maxsize=1)
def agec_categories() -> dict[int, str]:
    path = resources_dir() / "schemas" / "agec_art58_categories_produits.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {int(row["ordre"]): row["categorie"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def agec_rules() -> dict[str, Any]:
    return json.loads((resources_dir() / "rules" / "agec_minimum_shares.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class AgecLine:
    category: int
    label: str
    total: Decimal
    reuse: Decimal
    donation: Decimal
    recycled: Decimal
    minimum: str  # "réemploi 8 %, recyclé 20 %" or "à vérifier"


def minimum_shares(category: int, year: int) -> str:
    steps = agec_rules()["shares"].get(str(category))
    if not steps:
        return "à vérifier"
    step = max((int(y) for y in steps if int(y) <= year), default=None)
    if step is None:
        return "à vérifier"
    share = steps[str(step)]
    return f"réemploi ou réutilisation {share['reuse']} %, matières recyclées {share['recycled']} % (palier {step})"


def record_agec_spend(database: Database, dossier_id: int, *, lot: int, year: int, category: int, total: Any,
                      reuse: Any = 0, donation: Any = 0, recycled: Any = 0) -> None:
    """A year's spend under an awarded lot on one AGEC category, entered at execution."""
    if category not in agec_categories():
        raise ValidationError(f"Catégorie AGEC n° {category} inconnue : numéros 1 à {len(agec_categories())}.")
    amounts = [_euros(v, label) for v, label in ((total, "montant total"), (reuse, "réemploi"),
                                                 (donation, "dons"), (recycled, "recyclé"))]
    if any(a > amounts[0] for a in amounts[1:]):
        raise ValidationError("Les montants de réemploi, de dons ou recyclés ne peuvent dépasser le montant total.")
    with database.unit_of_work() as session:
        if lot not in {a.lot for a in repo.awards(session, dossier_id)}:
            raise ValidationError(f"Le lot n° {lot} de ce dossier n'est pas attribué.")
        repo.put_agec_spend(session, dossier_id, lot, year, category, *amounts)


def _euros(value: Any, label: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except ArithmeticError:
        raise ValidationError(f"Le {label} « {value} » n'est pas un montant.") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"Le {label} doit être un montant positif (reçu « {value} »).")
    return number.quantize(Decimal("0.01"))


def agec_lines(database: Database, year: int) -> list[AgecLine]:
    labels = agec_categories()
    totals: dict[int, list[Decimal]] = {}
    with database.unit_of_work() as session:
        for row in repo.agec_spend(session, year):
            sums = totals.setdefault(row.category, [Decimal(0)] * 4)
            for i, cents in enumerate((row.total_cents, row.reuse_cents, row.donation_cents, row.recycled_cents)):
                sums[i] += repo.euros(cents)
    return [AgecLine(c, labels[c], *totals[c], minimum_shares(c, year)) for c in sorted(totals)]


def export_agec(database: Database, year: int, target: Path, buyer_siret: str, buyer_name: str) -> ReturnOutcome:
    """The national CSV of the AGEC art. 58 declaration: one row per category bought in ``year``."""
    from achatsdesk.documents.agec_csv import write_agec

    siret = check_siret(buyer_siret, "de l'acheteur")
    if not buyer_name.strip():
        raise ValidationError("La raison sociale de l'acheteur est obligatoire pour la déclaration AGEC.")
    lines = agec_lines(database, year)
    rows = [{"annee": year, "siret": siret, "raison_sociale": buyer_name.strip(), "type_produit_acquis": line.label,
             "montant_total": line.total, "montant_reemploi_et_reutilisation": line.reuse,
             "montant_produits_issus_don": line.donation, "montant_produits_recycles": line.recycled,
             "commentaires": ""} for line in lines]
    path = write_agec(AGEC_FIELDS, rows, target)
    notes = [f"{line.label} : minimum {line.minimum}" for line in lines]
    notes.append(f"À déclarer au plus tard le 30 juin {year + 1} ({agec_rules()['deadline']}).")
    return ReturnOutcome(path, len(rows), notes=notes)


# --- SPASER ------------------------------------------------------------------------------
def spaser_figures(database: Database, year: int | None = None) -> list[SpaserLine]:
    return spaser_lines(contract_lines(database, year, with_published=True))


def export_spaser(database: Database, year: int | None, target: Path) -> ReturnOutcome:
    from achatsdesk.documents.xlsx_spaser import write_spaser

    lines = contract_lines(database, year, with_published=True)
    path = write_spaser(spaser_lines(lines), lines, target)
    return ReturnOutcome(path, len(lines))
