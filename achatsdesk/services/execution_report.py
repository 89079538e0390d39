"""Import of a facilitator's report: the insertion hours realised by the holders
of a dossier, period by period, with the beneficiaries by public.

A CSV or XLSX file (read like a supplier file: any encoding, separator or
first sheet), one row per holder and period: SIRET or contract reference,
period (2027-T1), hours, and optionally the number of beneficiaries of each
public. Columns are matched by their header (the same folded spellings as the
catalogue's mapping step); the window lets the buyer correct the mapping.

A bad row is rejected with its line and reason, the others are kept; the good
rows are written in one transaction, so a failure or a killed process leaves
the follow-up exactly as it was. A period already recorded is replaced by the
report's figure (the facilitator's count is the reference).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from achatsdesk.catalogue.sniff import iter_table
from achatsdesk.domain.award import check_siret
from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.domain.execution import (
    HOURS,
    PUBLICS,
    RealisedFigure,
    check_period,
    check_value,
    commitments_of,
)
from achatsdesk.domain.plural import count_of
from achatsdesk.domain.text import fold
from achatsdesk.errors import AchatsdeskError, InputFileError, ValidationError
from achatsdesk.services.dossiers import get_dossier
from achatsdesk.services.execution import UNDER_EXECUTION, execution_rules, library_map, stored_lot
from achatsdesk.storage import execution_repository as repo
from achatsdesk.storage.database import Database

FIELDS: dict[str, str] = {
    "siret": "SIRET du titulaire",
    "reference": "Référence du marché",
    "lot": "Lot",
    "period": "Période (2027-T1)",
    "hours": "Heures réalisées",
    **{key: f"Bénéficiaires : {label}" for key, label in PUBLICS.items()},
}
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "siret": ("siret", "siret titulaire", "siret du titulaire", "n siret", "siret entreprise"),
    "reference": ("reference", "reference marche", "reference du marche", "ref marche", "marche", "n marche"),
    "lot": ("lot", "n lot", "numero lot"),
    "period": ("periode", "trimestre", "period"),
    "hours": ("heures", "heures realisees", "nombre d heures", "nb heures", "heures d insertion"),
    "chomeurs_longue_duree": ("deld", "chomeurs longue duree", "demandeurs d emploi de longue duree", "dld"),
    "moins_26_ans": ("moins de 26 ans", "jeunes", "moins 26 ans", "jeunes de moins de 26 ans"),
    "rsa": ("rsa", "brsa", "allocataires du rsa", "beneficiaires du rsa"),
    "handicap": ("handicap", "th", "travailleurs handicapes", "rqth"),
    "qpv": ("qpv", "residents qpv", "quartiers prioritaires"),
    "femmes": ("femmes",),
}


def _key(header: str) -> str:
    return " ".join(fold(header).replace("_", " ").replace("-", " ").replace("'", " ").replace("°", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header for every field a header obviously names."""
    keyed = {_key(h): h for h in headers if h.strip()}
    mapping: dict[str, str] = {}
    for name, spellings in _SYNONYMS.items():
        for spelling in spellings:
            if spelling in keyed and keyed[spelling] not in mapping.values():
                mapping[name] = keyed[spelling]
                break
    return mapping


@dataclass
class ReportPreview:
    headers: list[str]
    rows: list[list[str]]
    mapping: dict[str, str]
    description: str


def preview_report(path: Path, max_rows: int = 20) -> ReportPreview:
    rows, description = iter_table(Path(path))
    headers: list[str] | None = None
    sample: list[list[str]] = []
    for _line, cells in rows:
        if headers is None:
            if any(c.strip() for c in cells):
                headers = [c.strip() for c in cells]
            continue
        sample.append(cells)
        if len(sample) >= max_rows:
            break
    if headers is None:
        raise InputFileError(f"Le fichier « {Path(path).name} » ne contient aucune ligne.",
                             hint="Choisissez le relevé exporté par le logiciel du facilitateur.")
    return ReportPreview(headers, sample, guess_mapping(headers), description)


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


@dataclass
class ReportOutcome:
    rows_read: int = 0
    rows_kept: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    figures: list[RealisedFigure] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = (f"{count_of(self.rows_kept, 'ligne retenue', 'lignes retenues')} sur {self.rows_read}, "
                f"{count_of(len(self.figures), 'relevé trimestriel enregistré', 'relevés trimestriels enregistrés')}")
        if self.rejected:
            text += f", {count_of(len(self.rejected), 'ligne rejetée', 'lignes rejetées')}"
        return text + "."


def _check_mapping(mapping: dict[str, str], headers: list[str], name: str) -> None:
    missing = [FIELDS[f] for f in ("period", "hours") if f not in mapping]
    if "siret" not in mapping and "reference" not in mapping:
        missing.insert(0, "SIRET du titulaire ou référence du marché")
    if missing:
        raise InputFileError(
            f"Le relevé « {name} » n'a pas de colonne pour : {', '.join(missing)}.",
            hint="Colonnes trouvées : " + ", ".join(h for h in headers if h) +
                 ". Renommez les en-têtes ou choisissez les colonnes dans l'assistant. Rien n'a été importé.",
        )
    unknown = [h for h in mapping.values() if h not in headers]
    if unknown:
        raise InputFileError(f"La colonne « {unknown[0]} » n'existe pas dans « {name} ».")


def import_report(database: Database, dossier_id: int, path: Path, mapping: dict[str, str] | None = None,
                  reported_by: str = "", progress: Callable[[int, int, str], None] | None = None,
                  now: datetime | None = None) -> ReportOutcome:
    path = Path(path)
    stored = get_dossier(database, dossier_id)
    dossier = stored.dossier
    if dossier.status not in UNDER_EXECUTION:
        raise ValidationError("Ce dossier n'est pas attribué : enregistrez d'abord l'attribution de ses lots.")
    with database.unit_of_work() as session:
        awards = repo.awards(session, dossier_id)
    hours_clause = {}  # lot -> clause id of its insertion hours
    for commitment in commitments_of(dossier, library_map(database), execution_rules()):
        if commitment.unit == HOURS:
            hours_clause.setdefault(stored_lot(dossier, commitment), commitment.clause_id)
    by_siret: dict[str, list[int]] = {}
    for award in awards:
        by_siret.setdefault(award.holder_siret, []).append(award.lot)
    rows, _description = iter_table(path)
    headers: list[str] | None = None
    outcome = ReportOutcome()
    totals: dict[tuple[int, str, str], tuple[Decimal, dict[str, int]]] = {}
    for line, cells in rows:
        if headers is None:
            if any(c.strip() for c in cells):
                headers = [c.strip() for c in cells]
                mapping = dict(mapping) if mapping else guess_mapping(headers)
                _check_mapping(mapping, headers, path.name)
                index = {name: headers.index(header) for name, header in mapping.items()}
            continue
        if not any(c.strip() for c in cells):
            continue
        outcome.rows_read += 1

        def cell(name: str, cells: list[str] = cells, index: dict[str, int] = index) -> str:
            position = index.get(name)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        try:
            lot = _lot_of_row(cell, dossier.reference, by_siret, len(awards))
            clause_id = hours_clause.get(lot) or hours_clause.get(0)
            if clause_id is None:
                raise ValidationError(f"le lot n° {lot} n'a pas de clause d'heures d'insertion à suivre")
            period = check_period(cell("period"))
            hours = check_value(cell("hours") or None)
            people = {key: _people(cell(key), PUBLICS[key]) for key in PUBLICS if cell(key)}
        except AchatsdeskError as exc:
            outcome.rejected.append(RejectedRow(line, exc.message.rstrip(".")))
            continue
        outcome.rows_kept += 1
        key = (lot, clause_id, period)
        before_hours, before_people = totals.get(key, (Decimal(0), {}))
        merged = {k: before_people.get(k, 0) + people.get(k, 0) for k in {*before_people, *people}}
        totals[key] = (before_hours + hours, merged)
    if headers is None:
        raise InputFileError(f"Le relevé « {path.name} » ne contient aucune ligne.")
    stamp = now or datetime.now().replace(microsecond=0)
    source = f"relevé {path.name}"
    who = reported_by.strip() or "facilitateur"
    figures = [RealisedFigure(clause_id, lot, period, hours, who, stamp, source, people)
               for (lot, clause_id, period), (hours, people) in sorted(totals.items())]
    if figures:
        with database.unit_of_work() as session:  # all the report's figures, or none
            for done, figure in enumerate(figures, start=1):
                repo.put_figure(session, dossier_id, figure)
                if progress is not None:
                    progress(done, len(figures), "Enregistrement du relevé…")
            repo.set_dossier_status(session, dossier_id, DossierStatus.EN_EXECUTION.value, stamp)
    outcome.figures = figures
    return outcome


def _lot_of_row(cell: Callable[[str], str], reference: str, by_siret: dict[str, list[int]], awarded: int) -> int:
    lot_text = cell("lot")
    lot = int(lot_text) if lot_text.isdigit() else None
    siret_text = cell("siret")
    if siret_text:
        siret = check_siret(siret_text)
        lots = by_siret.get(siret)
        if not lots:
            raise ValidationError(f"le SIRET {siret} n'est titulaire d'aucun lot de ce dossier")
        if lot is not None and lot not in lots:
            raise ValidationError(f"le SIRET {siret} n'est pas titulaire du lot n° {lot}")
        if lot is None and len(lots) > 1:
            raise ValidationError(f"le SIRET {siret} est titulaire de plusieurs lots : précisez le lot")
        return lot if lot is not None else lots[0]
    ref = cell("reference")
    if not ref:
        raise ValidationError("ni SIRET ni référence du marché")
    if not reference or fold(ref) != fold(reference):
        raise ValidationError(f"la référence « {ref} » n'est pas celle de ce marché ({reference or 'sans référence'})")
    if lot is None:
        if awarded > 1:
            raise ValidationError("le marché a plusieurs lots : précisez le lot ou le SIRET")
        return 1
    return lot


def _people(text: str, label: str) -> int:
    try:
        number = int(Decimal(text.replace(",", ".")))
    except (ArithmeticError, ValueError):
        raise ValidationError(f"le nombre de bénéficiaires « {label} » n'est pas un nombre (« {text} »)") from None
    if number < 0:
        raise ValidationError(f"le nombre de bénéficiaires « {label} » est négatif")
    return number
