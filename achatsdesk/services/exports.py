"""Use cases of the documents area: the Word annex, the PDF review report, the shortlist XLSX.

This module maps the real objects (stored or JSON dossier, clause library,
rules, catalogue shortlist) onto the plain inputs of ``achatsdesk.documents``;
the writers never see anything else. A dossier is given as its id in the
database, as a path to a DOSSIER.json, or as a ``Dossier``. From a JSON
dossier without selected clauses, the clauses are the suggested ones with
their pre-filled defaults.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from achatsdesk.documents.model import (
    PART_TITLES,
    AnnexInput,
    AnnexPart,
    ChecklistItemRow,
    ChecklistStepRow,
    ProcedureInfo,
    RenderedClause,
    ReviewEvent,
    ReviewReportInput,
    ShortlistRow,
    SignOff,
)
from achatsdesk.domain.clauses import KIND_LABELS, ClauseTemplate, render_clause
from achatsdesk.domain.dossier import BUYER_KIND_LABELS, NATURE_LABELS, STATUS_LABELS, Dossier
from achatsdesk.domain.formatting import format_date_long, format_money, format_number
from achatsdesk.domain.geo import distance_km
from achatsdesk.domain.review import DECISION_LABELS
from achatsdesk.domain.suggestions import default_selection
from achatsdesk.domain.thresholds import PROCEDURE_LABELS
from achatsdesk.errors import InputFileError, NotFoundError, ValidationError
from achatsdesk.services.clause_library import ClauseLibrary, load_library
from achatsdesk.services.clauses import size_dossier_insertion, suggest_for_dossier
from achatsdesk.services.dossier_rules import analyse
from achatsdesk.storage.database import Database

Progress = Callable[[int, int, str], None]
DossierSource = int | str | os.PathLike[str] | Dossier

__all__ = ["export_annex", "annex_warnings", "export_review", "export_shortlist", "annex_input_for", "review_input_for",
           "shortlist_rows_for", "parse_parts"]


# --- where the dossier comes from -----------------------------------------------
@dataclass
class _Subject:
    dossier: Dossier
    dossier_id: int | None
    shortlist_snapshot: dict[str, Any] | None = None


def _load(source: DossierSource, database: Database | None) -> _Subject:
    if isinstance(source, Dossier):
        return _Subject(source, None)
    if isinstance(source, int) or (isinstance(source, str) and source.strip().isdigit()):
        if database is None:
            raise ValidationError("Un numéro de dossier demande la base de données de l'application.")
        from achatsdesk.services.dossiers import get_dossier

        stored = get_dossier(database, int(source))
        return _Subject(stored.dossier, stored.id, stored.shortlist_snapshot)
    path = Path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(f"Le fichier « {path.name} » n'est pas un dossier JSON lisible.",
                             hint="Corrigez-le (ou exportez-le de nouveau) puis réessayez.", detail=repr(exc)) from None
    return _Subject(Dossier.from_dict(data), None)


# --- clauses -------------------------------------------------------------------------
def _library(database: Database | None) -> ClauseLibrary:
    """Every clause the buyer can use: shipped ones and, with a database, the user's own."""
    return load_library(database)


def _suggested(dossier: Dossier, library: ClauseLibrary, database: Database | None):
    """(template, variables) of the suggested clauses, pre-filled from the dossier (insertion hours included);
    of clauses that are alternatives (the reservations, say) only the best ranked one."""
    advice = suggest_for_dossier(dossier, database=database, library=library)
    kept = default_selection(advice.report)
    # Articles of one family stay together (the insertion clause and its companions),
    # families in the order of their best ranked clause.
    family_rank: dict[str, int] = {}
    for index, suggestion in enumerate(kept):
        family_rank.setdefault(suggestion.clause.family, index)
    kept.sort(key=lambda s: family_rank[s.clause.family])
    return [(s.clause, dict(s.variables)) for s in kept]


def _weight(template: ClauseTemplate, values: dict[str, Any]) -> float | None:
    if template.kind != "critere-attribution":
        return None
    for variable in template.variables:
        if variable.type == "percent" and (variable.name == "poids" or "ondération" in variable.label):
            value = values.get(variable.name, variable.default)
            return float(value) if value is not None else None
    return None


def _rendered(template: ClauseTemplate, variables: dict[str, Any], scope: str = "") -> RenderedClause:
    values = {**template.defaults(), **variables}
    return RenderedClause(
        id=template.id, version=template.version, title=template.title, body=render_clause(template, variables),
        family=template.family_label, kind=KIND_LABELS.get(template.kind, template.kind), document=template.document,
        legal_basis=template.legal_basis, weight_percent=_weight(template, values), applies_from=template.applies_from,
        scope=scope, eforms=dict(template.eforms),
    )


def rendered_clauses(subject: _Subject, database: Database | None) -> list[RenderedClause]:
    library = _library(database)
    dossier = subject.dossier
    if dossier.clauses:
        chosen = []
        for selection in dossier.clauses:
            template = library.find(selection.clause_id)
            if template is None:
                raise NotFoundError(
                    f"La clause « {selection.clause_id} » choisie pour ce dossier n'est pas dans la bibliothèque.",
                    hint="Retirez-la du dossier, ou importez le paquet de clauses qui la contient, puis réessayez.",
                )
            chosen.append((template, selection.variables, _lot_label(dossier, selection.lot)))
    elif subject.dossier_id is None:
        chosen = [(template, variables, "") for template, variables in _suggested(dossier, library, database)]
    else:
        chosen = []  # a stored dossier exports what the buyer chose, nothing else
    return [_rendered(template, variables, scope) for template, variables, scope in chosen]


def _lot_label(dossier: Dossier, lot: int | None) -> str:
    if lot is None or not 0 <= lot < len(dossier.lots):
        return ""
    return f"Lot {lot + 1} : {dossier.lots[lot].title}"


# --- shortlist -----------------------------------------------------------------------
def shortlist_rows_for(subject: _Subject, database: Database | None) -> list[ShortlistRow]:
    dossier = subject.dossier
    if database is None or dossier.shortlist_id is None:
        return _snapshot_rows(subject.shortlist_snapshot)
    with database.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.id, s.name, s.siret, s.kind, s.address, s.postcode, s.commune, s.latitude, s.longitude, "
            "s.source, s.source_date FROM shortlist_item i JOIN supplier s ON s.id = i.supplier_id "
            "WHERE i.shortlist_id = :id ORDER BY s.name"), {"id": dossier.shortlist_id}).all()
        sectors: dict[int, list[str]] = {}
        for supplier_id, name in conn.execute(text(
            "SELECT ss.supplier_id, sec.name FROM supplier_sector ss JOIN sector sec ON sec.id = ss.sector_id "
            "JOIN shortlist_item i ON i.supplier_id = ss.supplier_id WHERE i.shortlist_id = :id ORDER BY sec.name"),
                {"id": dossier.shortlist_id}):
            sectors.setdefault(supplier_id, []).append(name)
        place = None
        if dossier.place_insee:
            place = conn.execute(text("SELECT latitude, longitude FROM commune WHERE insee = :i"),
                                 {"i": dossier.place_insee}).first()
    if not rows:
        return _snapshot_rows(subject.shortlist_snapshot)
    out = []
    for r in rows:
        distance = None
        if place and place[0] is not None and r.latitude is not None and r.longitude is not None:
            distance = distance_km(place[0], place[1], r.latitude, r.longitude)
        out.append(ShortlistRow(
            name=r.name, siret=r.siret or "", kind=r.kind, address=r.address or "",
            commune=" ".join(x for x in (r.postcode, r.commune) if x), distance_km=distance,
            sectors=tuple(sectors.get(r.id, ())), source=r.source or "", source_date=r.source_date,
        ))
    return out


def _snapshot_rows(snapshot: dict[str, Any] | None) -> list[ShortlistRow]:
    """An imported dossier keeps its shortlist as a snapshot (ids differ between machines)."""
    rows = []
    for s in (snapshot or {}).get("suppliers", []):
        rows.append(ShortlistRow(
            name=str(s.get("name") or ""), siret=str(s.get("siret") or ""), kind=str(s.get("kind") or ""),
            commune=" ".join(str(x) for x in (s.get("postcode"), s.get("commune")) if x),
            source=str(s.get("source") or ""), source_date=s.get("source_date"),
        ))
    return rows


# --- inputs of the writers ---------------------------------------------------------
def parse_parts(value: str | None) -> tuple[AnnexPart, ...]:
    """"ccap,rc" -> both parts; French error naming the unknown one."""
    if not value:
        return (AnnexPart.CCAP, AnnexPart.RC)
    parts = []
    for token in (t.strip().lower() for t in value.split(",")):
        if not token:
            continue
        try:
            part = AnnexPart(token)
        except ValueError:
            raise ValidationError(f"Partie « {token} » inconnue : indiquez ccap, rc ou ccap,rc.") from None
        if part not in parts:
            parts.append(part)
    if not parts:
        raise ValidationError("Indiquez au moins une partie : ccap, rc ou ccap,rc.")
    return tuple(parts)


def annex_input_for(source: DossierSource, *, database: Database | None = None,
                    parts: tuple[AnnexPart, ...] | None = None, today: date | None = None) -> AnnexInput:
    subject = _load(source, database)
    dossier = subject.dossier
    return AnnexInput(
        buyer_name=dossier.buyer.name, dossier_title=dossier.title, reference=dossier.reference,
        clauses=rendered_clauses(subject, database), parts=parts or (AnnexPart.CCAP, AnnexPart.RC),
        issued_on=today or date.today(),
    )


def _summary(dossier: Dossier, database: Database | None) -> list[tuple[str, str]]:
    place = dossier.place_insee or "non renseigné"
    cpv = ", ".join(dossier.cpv) or "non renseigné"
    if database is not None:
        from achatsdesk.services.reference import ReferenceService

        reference = ReferenceService(database)
        commune = reference.get_commune(dossier.place_insee) if dossier.place_insee else None
        place = f"{commune.name} ({dossier.place_insee})" if commune else place
        labels = [f"{code} {entry.label}" if (entry := reference.get_cpv(code)) else code for code in dossier.cpv]
        cpv = "\n".join(labels) or cpv
    lots = "\n".join(f"{lot.title} : {format_money(lot.amount_eur)}" for lot in dossier.lots) or "Marché global (sans lots)"
    return [
        ("Intitulé", dossier.title),
        ("Référence", dossier.reference or "non renseignée"),
        ("Acheteur", f"{dossier.buyer.name} ({BUYER_KIND_LABELS[dossier.buyer.kind].lower()})"),
        ("Nature", NATURE_LABELS[dossier.nature]),
        ("Codes CPV", cpv),
        ("Montant estimé", format_money(dossier.amount_eur) + " sur toute la durée, options et reconductions comprises"),
        ("Durée", f"{dossier.duration_months} mois" if dossier.duration_months else "non renseignée"),
        ("Lots", lots),
        ("Lieu d'exécution", place),
        ("Date de lancement", format_date_long(dossier.launch_date) if dossier.launch_date else "non renseignée"),
        ("Statut", STATUS_LABELS[dossier.status]),
        ("Heures d'insertion", insertion_summary(dossier)),
    ]


def insertion_summary(dossier: Dossier) -> str:
    """The sizing with the dossier's saved factors: one formula per lot, then the pooled total."""
    try:
        sizing = size_dossier_insertion(dossier)
    except ValidationError as exc:
        return f"non calculées : {exc.message}"
    lines = [(f"{line.label} : " if len(sizing.lines) > 1 else "") + line.formula() for line in sizing.lines]
    if len(sizing.lines) > 1:
        lines.append(f"Total mutualisé : {format_number(sizing.total_hours)}\u00a0h")
    origin = "facteurs saisis dans le dossier" if dossier.insertion is not None else "facteurs par défaut"
    return "\n".join(lines + [f"({origin})"])


def review_input_for(source: DossierSource, *, database: Database | None = None,
                     today: date | None = None) -> ReviewReportInput:
    subject = _load(source, database)
    dossier = subject.dossier
    analysis = analyse(dossier)
    procedure = analysis.assessment.procedure
    threshold = ""
    if procedure.threshold_eur is not None:
        kind = "seuil de dispense" if procedure.id == "dispense" else "seuil européen"
        threshold = f"{format_money(procedure.threshold_eur)} ({kind})"
    steps = [
        ChecklistStepRow(step.title, tuple(
            ChecklistItemRow(item.title, item.status.value, _justification(item), item.state.comment, item.mandatory)
            for item in step.items))
        for step in analysis.steps
    ]
    history = [ReviewEvent(r.decided_at, r.reviewer, DECISION_LABELS[r.decision], r.comment) for r in dossier.reviews]
    last = dossier.reviews[-1] if dossier.reviews else None
    sign_off = SignOff(last.reviewer, last.decided_at.date(), last.decision.value, last.comment) if last else SignOff()
    return ReviewReportInput(
        dossier_title=dossier.title, buyer_name=dossier.buyer.name, reference=dossier.reference,
        summary=_summary(dossier, database),
        procedure=ProcedureInfo(PROCEDURE_LABELS.get(procedure.id, procedure.id).capitalize(), threshold,
                                procedure.explanation),
        obligations=list(analysis.assessment.obligations), checklist=steps,
        clauses=rendered_clauses(subject, database), shortlist=shortlist_rows_for(subject, database),
        history=history, sign_off=sign_off, generated_on=today or date.today(),
    )


def _justification(item) -> str:
    case = item.state.exemption_case
    if not case:
        return item.state.justification
    from achatsdesk.services.dossier_rules import rule_resources

    label = next((c.label for c in rule_resources().checklist.exemptions if c.id == case), case)
    return f"Cas de dispense : {label}. {item.state.justification}".strip()


# --- the use cases ------------------------------------------------------------------
def _step(progress: Progress | None, done: int, message: str) -> None:
    if progress is not None:
        progress(done, 3, message)


def annex_warnings(data: AnnexInput) -> list[str]:
    """What the buyer should know before sending the annex on (French, one sentence each)."""
    if data.is_empty:
        return ["Aucune clause n'est retenue pour ce dossier : l'annexe ne contient aucun article. "
                "Ajoutez des clauses au dossier (étapes sociales et environnementales), puis exportez de nouveau."]
    return [
        f"La partie « {PART_TITLES[part]} » ne contient aucune clause."
        for part in data.parts if not data.clauses_of(part)
    ]


def check_template_archive(template: Path) -> None:
    """The organisation's Word template, checked from its zip directory before anything inflates it
    (domain/input_limits.py: a 1 MB template once unpacked a 1 GiB part into the annex)."""
    from achatsdesk.domain import input_limits

    limits = input_limits.LIMITS
    input_limits.open_archive(template, max_bytes=limits.max_template_bytes, max_entries=2_000,
                              max_entry_bytes=limits.max_template_member_bytes,
                              max_total_bytes=4 * limits.max_template_member_bytes).close()


def export_annex(source: DossierSource, out: str | os.PathLike[str], *, database: Database | None = None,
                 template: str | os.PathLike[str] | None = None, parts: tuple[AnnexPart, ...] | str | None = None,
                 progress: Progress | None = None, today: date | None = None,
                 warn: Callable[[str], None] | None = None) -> Path:
    """Write the Word annex; ``warn`` hears what the buyer should know (no clause at all, an empty part)."""
    from achatsdesk.documents.docx_annex import write_annex

    if isinstance(parts, str):
        parts = parse_parts(parts)
    if template is not None:
        check_template_archive(Path(template))
    _step(progress, 0, "Lecture du dossier et rédaction des clauses…")
    data = annex_input_for(source, database=database, parts=parts, today=today)
    for message in annex_warnings(data) if warn is not None else ():
        warn(message)
    _step(progress, 1, f"Écriture de l'annexe ({format_number(len(data.clauses))} clauses)…")
    path = write_annex(data, out, template=template)
    _step(progress, 3, "Annexe enregistrée.")
    return path


def export_review(source: DossierSource, out: str | os.PathLike[str], *, database: Database | None = None,
                  progress: Progress | None = None, today: date | None = None) -> Path:
    from achatsdesk.documents.pdf_review import write_review

    _step(progress, 0, "Lecture du dossier et de sa check-list…")
    data = review_input_for(source, database=database, today=today)
    _step(progress, 1, "Écriture du rapport PDF…")
    path = write_review(data, out)
    _step(progress, 3, "Rapport enregistré.")
    return path


def export_shortlist(source: DossierSource, out: str | os.PathLike[str], *, database: Database | None = None,
                     progress: Progress | None = None) -> Path:
    from achatsdesk.documents.xlsx_shortlist import write_shortlist

    _step(progress, 0, "Lecture de la liste de fournisseurs…")
    subject = _load(source, database)
    rows = shortlist_rows_for(subject, database)
    if not rows and subject.dossier.shortlist_id is None and not subject.shortlist_snapshot:
        raise NotFoundError(
            "Ce dossier n'a pas encore de liste de fournisseurs.",
            hint="Ajoutez des structures au dossier depuis le Catalogue ESS, puis exportez de nouveau.",
        )
    _step(progress, 1, f"Écriture de {format_number(len(rows))} fournisseurs…")
    path = write_shortlist(rows, out, title=subject.dossier.title)
    _step(progress, 3, "Liste enregistrée.")
    return path
