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
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from achatsdesk.documents.model import (
    NUMBERINGS,
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
    clause_set_fingerprint,
)
from achatsdesk.domain.applicability import dossier_facts, why_not_applicable
from achatsdesk.domain.clauses import KIND_LABELS, ClauseTemplate, missing_texts, render_clause
from achatsdesk.domain.dossier import (
    AMOUNT_INCLUDES,
    BUYER_KIND_LABELS,
    CONTRACT_KIND_LABELS,
    NATURE_LABELS,
    STATUS_LABELS,
    ContractKind,
    Dossier,
)
from achatsdesk.domain.formatting import format_date_long, format_money, format_number
from achatsdesk.domain.geo import distance_km
from achatsdesk.domain.procedure import CONCESSION_REASON
from achatsdesk.domain.review import DECISION_LABELS, head_decisions
from achatsdesk.domain.suggestions import default_selection
from achatsdesk.domain.thresholds import PROCEDURE_LABELS
from achatsdesk.errors import InputFileError, NotFoundError, ValidationError
from achatsdesk.services.clause_library import ClauseLibrary, load_library
from achatsdesk.services.clause_suggestions import suggest_for_dossier
from achatsdesk.services.dossier_figures import (
    consistency_warnings,
    dossier_figures,
    hours_note,
    hours_summary,
    resolved_dossier,
)
from achatsdesk.services.dossier_rules import analyse
from achatsdesk.services.insertion_sizing import size_dossier_insertion
from achatsdesk.storage import reference_search, suppliers_repo
from achatsdesk.storage import shortlists as shortlist_rows
from achatsdesk.storage.database import Database

Progress = Callable[[int, int, str], None]
DossierSource = int | str | os.PathLike[str] | Dossier

__all__ = ["export_annex", "annex_warnings", "export_refusal", "export_review", "export_shortlist", "annex_input_for", "review_input_for",
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
    body = render_clause(template, variables)
    return RenderedClause(
        id=template.id, version=template.version, title=template.title, body=body,
        family=template.family_label, kind=KIND_LABELS.get(template.kind, template.kind), document=template.document,
        legal_basis=template.legal_basis, weight_percent=_weight(template, values), applies_from=template.applies_from,
        scope=scope, eforms=dict(template.eforms), to_confirm=tuple(template.to_confirm), family_id=template.family,
        to_write=tuple(label for label in missing_texts(template, variables)
                       if template.variable_by_label(label).placeholder() in body),  # only where the text uses it
    )


def rendered_clauses(subject: _Subject, database: Database | None) -> list[RenderedClause]:
    library = _library(database)
    dossier = subject.dossier
    if dossier.clauses:
        figures = dossier_figures(dossier, library)
        chosen = []
        for selection in resolved_dossier(dossier, library).clauses:  # the hours each clause states
            template = library.find(selection.clause_id)
            if template is None:
                raise NotFoundError(
                    f"La clause « {selection.clause_id} » choisie pour ce dossier n'est pas dans la bibliothèque.",
                    hint="Retirez-la du dossier, ou importez le paquet de clauses qui la contient, puis réessayez.",
                )
            chosen.append((template, selection.variables, _lot_label(dossier, selection.lot),
                           hours_note(figures, selection.clause_id, selection.lot)))
    elif subject.dossier_id is None:
        chosen = [(template, variables, "", "") for template, variables in _suggested(dossier, library, database)]
    else:
        chosen = []  # a stored dossier exports what the buyer chose, nothing else
    rendered = []
    for template, variables, scope, note in chosen:
        clause = _rendered(template, variables, scope)
        # Hours typed over the sizing: both figures, beside the clause (dossier_figures.py).
        rendered.append(replace(clause, body=f"{clause.body}\n\n({note})") if note else clause)
    return rendered


def _chosen_templates(subject: _Subject, database: Database | None) -> list[ClauseTemplate]:
    library = _library(database)
    return [t for t in (library.find(s.clause_id) for s in subject.dossier.clauses) if t is not None]


def document_warnings(subject: _Subject, database: Database | None, procedure: str) -> list[str]:
    """Every point still open before publication, one French sentence each: the core consistency
    check (services/dossier_figures.py) then the chosen clauses that do not fit the dossier. The
    annex, the review PDF and both shells print this one list."""
    found = [w.message for w in export_warnings(subject.dossier, database)]
    return found + [w for w in clause_fit_warnings(subject, database, procedure) if w not in found]


def clause_fit_warnings(subject: _Subject, database: Database | None, procedure: str) -> list[str]:
    """Clauses the buyer chose that do not fit the dossier (a reserved lot on an undivided
    contract, an award criterion without competition...), one French sentence each."""
    from achatsdesk.services.dossier_rules import rule_resources

    facts = dossier_facts(subject.dossier, procedure, rule_resources().rules.families)
    found = []
    for template in _chosen_templates(subject, database):
        reason = why_not_applicable(template.applies_to, facts)
        if reason:
            found.append(f"La clause « {template.title} » ne convient pas à ce dossier : {reason}. "
                         "Retirez-la ou vérifiez le dossier (nature, procédure, lots).")
    return found


def _lot_label(dossier: Dossier, lot: int | None) -> str:
    if lot is None or not 0 <= lot < len(dossier.lots):
        return ""
    return f"Lot {lot + 1} : {dossier.lots[lot].title}"


# --- shortlist -----------------------------------------------------------------------
def shortlist_rows_for(subject: _Subject, database: Database | None) -> list[ShortlistRow]:
    dossier = subject.dossier
    if database is None or dossier.shortlist_id is None:
        return _snapshot_rows(subject.shortlist_snapshot)
    with database.shared_engine.connect() as lists, database.engine.connect() as conn:
        rows = shortlist_rows.sheet_rows(lists, conn, dossier.shortlist_id)
        sectors = suppliers_repo.sectors_of_many(conn, [r.id for r in rows if r.id is not None])
        place = reference_search.commune_position(conn, dossier.place_insee) if dossier.place_insee else None
    if not rows:
        return _snapshot_rows(subject.shortlist_snapshot)
    out = []
    for r in rows:
        distance = None
        if place is not None and r.latitude is not None and r.longitude is not None:
            distance = distance_km(place[0], place[1], r.latitude, r.longitude)
        out.append(ShortlistRow(
            name=r.name, siret=r.siret or "", kind=r.kind, address=r.address or "",
            commune=" ".join(x for x in (r.postcode, r.commune) if x), distance_km=distance,
            sectors=tuple(sectors.get(r.id, ())), source=r.source or "", source_date=r.source_date,
            website=r.website or "",
        ))
    return out


def _snapshot_rows(snapshot: dict[str, Any] | None) -> list[ShortlistRow]:
    """An imported dossier keeps its shortlist as a snapshot (ids differ between machines)."""
    rows = []
    for s in (snapshot or {}).get("suppliers", []):
        rows.append(ShortlistRow(
            name=str(s.get("name") or ""), siret=str(s.get("siret") or ""), kind=str(s.get("kind") or ""),
            commune=" ".join(str(x) for x in (s.get("postcode"), s.get("commune")) if x),
            source=str(s.get("source") or ""), source_date=s.get("source_date"), website=str(s.get("website") or ""),
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
                    parts: tuple[AnnexPart, ...] | None = None, today: date | None = None,
                    numbering: str = "part") -> AnnexInput:
    subject = _load(source, database)
    dossier = subject.dossier
    procedure = analyse(dossier, today).assessment.procedure.id
    return AnnexInput(
        buyer_name=dossier.buyer.name, dossier_title=dossier.title, reference=dossier.reference,
        clauses=rendered_clauses(subject, database), parts=parts or (AnnexPart.CCAP, AnnexPart.RC),
        issued_on=today or date.today(), publishes_notice=procedure != "dispense",
        warnings=document_warnings(subject, database, procedure), numbering=_numbering(numbering),
    )


def _numbering(value: str | None) -> str:
    if value in (None, ""):
        return "part"
    if value not in NUMBERINGS:
        raise ValidationError(f"Numérotation « {value} » inconnue : indiquez part (par pièce) ou document (continue).")
    return value


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
    lots = "\n".join(f"{lot.title} : {format_money(lot.amount_eur) if lot.amount_known else 'montant à renseigner'}"
                     for lot in dossier.lots) or "Marché global (sans lots)"
    includes = [AMOUNT_INCLUDES[i] for i in dossier.amount_includes if i in AMOUNT_INCLUDES]
    # What the amount includes is what the buyer said (R2121-1), never assumed.
    amount = format_money(dossier.amount_eur) + " sur toute la durée" + (
        f", comprenant {', '.join(includes)}" if includes else " (options et reconductions : non précisé)")
    scope = [] if dossier.contract_kind != ContractKind.CONCESSION else [("Examen", CONCESSION_REASON)]
    return scope + [
        ("Intitulé", dossier.title),
        ("Référence", dossier.reference or "non renseignée"),
        ("Acheteur", f"{dossier.buyer.name} ({BUYER_KIND_LABELS[dossier.buyer.kind].lower()})"),
        ("Type de contrat", CONTRACT_KIND_LABELS[dossier.contract_kind]),
        ("Nature", NATURE_LABELS[dossier.nature]),
        ("Codes CPV", cpv),
        ("Montant estimé", amount + (" (somme des lots)" if dossier.amount_from_lots else "")),
        ("Durée", f"{dossier.duration_months} mois" if dossier.duration_months else "non renseignée"),
        ("Lots", lots),
        ("Lieu d'exécution", place),
        ("Date de lancement", format_date_long(dossier.launch_date) if dossier.launch_date else "non renseignée"),
        ("Statut", STATUS_LABELS[dossier.status]),
        ("Heures d'insertion", insertion_summary(dossier, _library(database))),
    ]


def insertion_summary(dossier: Dossier, library: ClauseLibrary | None = None) -> str:
    """The sizing with the dossier's saved factors: one formula per lot, then the pooled total;
    with the library, the hours each chosen clause states ("2 000 h saisies, 1 350 h calculées")."""
    try:
        sizing = size_dossier_insertion(dossier)
    except ValidationError as exc:
        return f"non calculées : {exc.message}"
    lines = [(f"{line.label} : " if len(sizing.lines) > 1 else "") + line.formula() for line in sizing.lines]
    if len(sizing.lines) > 1:
        lines.append(f"Total mutualisé : {format_number(sizing.total_hours)}\u00a0h")
    origin = "facteurs saisis dans le dossier" if dossier.insertion is not None else "facteurs par défaut"
    clauses = hours_summary(dossier_figures(dossier, library)) if library is not None else []
    return "\n".join(lines + [f"({origin})"] + [f"Clause {line}" for line in clauses])


def review_input_for(source: DossierSource, *, database: Database | None = None,
                     today: date | None = None, annex: str | os.PathLike[str] | None = None,
                     numbering: str = "part") -> ReviewReportInput:
    """``annex``: the annex file the review goes with (named in the review, its fingerprint compared)."""
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
    decisions = head_decisions(dossier.reviews)  # the buyer's sendings sign nothing off
    last = decisions[-1] if decisions else None
    sign_off = SignOff(last.reviewer, last.decided_at.date(), last.decision.value, last.comment) if last else SignOff()
    clauses = rendered_clauses(subject, database)
    warnings = document_warnings(subject, database, procedure.id)
    annex_name, annex_date = "", None
    if annex is not None:
        annex_name, annex_date, printed = _annex_identity(Path(annex))
        expected = clause_set_fingerprint(clauses)
        if printed != expected:
            warnings.append(
                f"L'annexe « {annex_name} » porte le jeu de clauses {printed or 'inconnu'}, les clauses du dossier "
                f"forment le jeu {expected} : exportez de nouveau l'annexe avant de signer.")
    return ReviewReportInput(
        publishes_notice=procedure.id != "dispense", numbering=_numbering(numbering), annex_name=annex_name, annex_date=annex_date, warnings=warnings,
        dossier_title=dossier.title, buyer_name=dossier.buyer.name, reference=dossier.reference,
        summary=_summary(dossier, database),
        procedure=ProcedureInfo(PROCEDURE_LABELS.get(procedure.id, procedure.id).capitalize(), threshold,
                                procedure.explanation),
        obligations=list(analysis.assessment.obligations), checklist=steps,
        clauses=clauses, shortlist=shortlist_rows_for(subject, database),
        history=history, sign_off=sign_off, generated_on=today or date.today(),
    )


_FINGERPRINT = re.compile(r"jeu de clauses ([0-9A-F]{4}-[0-9A-F]{4})", re.IGNORECASE)


def _annex_identity(path: Path) -> tuple[str, date | None, str]:
    """(file name, date of the file, fingerprint printed in its footer) of an annex."""
    from achatsdesk.documents.docx_xml import open_template

    if not path.is_file():
        raise InputFileError(f"L'annexe « {path} » est introuvable.", hint="Indiquez le fichier .docx exporté par achatsdesk.")
    document = open_template(path)
    printed = ""
    for section in document.sections:
        found = _FINGERPRINT.search("\n".join(p.text for p in section.footer.paragraphs))
        if found:
            printed = found.group(1).upper()
            break
    return path.name, date.fromtimestamp(path.stat().st_mtime), printed


def _justification(item) -> str:
    case = item.state.exemption_case
    if not case:
        if item.justification_required and not item.state.justification.strip():
            return f"Justification requise, non écrite : {item.justification_label}."
        return item.state.justification
    from achatsdesk.services.dossier_rules import rule_resources

    label = next((c.label for c in rule_resources().checklist.exemptions if c.id == case), case)
    return f"Cas de dispense : {label}. {item.state.justification}".strip()


# --- the use cases ------------------------------------------------------------------
def _step(progress: Progress | None, done: int, message: str) -> None:
    if progress is not None:
        progress(done, 3, message)


def export_refusal(kind: str, dossier: Dossier, shortlist_snapshot: dict[str, Any] | None = None) -> NotFoundError | None:
    """Why the export ``kind`` ("annex", "review", "shortlist") of this dossier cannot be made at all,
    or None. Both shells ask it (the window before its file dialog, the command line before
    writing): a received dossier whose list came only as a snapshot exports from both. An annex
    without clauses is not refused: it is written with a warning (``annex_warnings``)."""
    if kind == "shortlist" and dossier.shortlist_id is None and not shortlist_snapshot:
        return NotFoundError(
            "Ce dossier n'a pas encore de liste de fournisseurs.",
            hint="Ajoutez des structures au dossier depuis le Catalogue ESS, puis exportez de nouveau.",
        )
    return None
def export_warnings(dossier: Dossier, database: Database | None = None):
    """The core consistency check before an export (services/dossier_figures.py)."""
    known_cpv = None
    if database is not None:
        from achatsdesk.services.reference import ReferenceService

        reference = ReferenceService(database)
        known_cpv = lambda code: reference.get_cpv(code) is not None  # noqa: E731 - a one-line lookup
    return consistency_warnings(dossier, _library(database), known_cpv=known_cpv)


def annex_warnings(data: AnnexInput) -> list[str]:
    """What the buyer should know before sending the annex on (French, one sentence each)."""
    if data.is_empty:
        return ["Aucune clause n'est retenue pour ce dossier : l'annexe ne contient aucun article. "
                "Ajoutez des clauses au dossier (étapes sociales et environnementales), puis exportez de nouveau."]
    return [
        f"La partie « {PART_TITLES[part]} » ne contient aucune clause."
        for part in data.parts if not data.clauses_of(part)
    ] + list(data.warnings)


def template_cleaned_message(dropped: list[str]) -> str:
    """What the buyer is told when the organisation's model carried content the documents leave out."""
    return (f"Le modèle de l'organisation contenait {', '.join(dropped)} : ces éléments n'ont pas été repris "
            "dans le document (seuls les styles, la mise en page, l'en-tête et le pied de page le sont).")


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
                 warn: Callable[[str], None] | None = None, numbering: str = "part") -> Path:
    """Write the Word annex; ``warn`` hears what the buyer should know (no clause at all, an empty part)."""
    from achatsdesk.documents.docx_annex import write_annex

    if isinstance(parts, str):
        parts = parse_parts(parts)
    if template is not None:
        check_template_archive(Path(template))
    _step(progress, 0, "Lecture du dossier et rédaction des clauses…")
    data = annex_input_for(source, database=database, parts=parts, today=today, numbering=numbering)
    if warn is not None:
        for message in annex_warnings(data):  # the open points are among them (data.warnings)
            warn(message)
    _step(progress, 1, f"Écriture de l'annexe ({format_number(len(data.clauses))} clauses)…")
    dropped: list[str] = []
    path = write_annex(data, out, template=template, dropped=dropped)
    if dropped and warn is not None:
        warn(template_cleaned_message(dropped))
    _step(progress, 3, "Annexe enregistrée.")
    return path


def export_review(source: DossierSource, out: str | os.PathLike[str], *, database: Database | None = None,
                  progress: Progress | None = None, today: date | None = None,
                  warn: Callable[[str], None] | None = None,
                  annex: str | os.PathLike[str] | None = None, numbering: str = "part") -> Path:
    """Write the review PDF; ``warn`` hears the points still open (listed in the report too)."""
    from achatsdesk.documents.pdf_review import write_review

    _step(progress, 0, "Lecture du dossier et de sa check-list…")
    data = review_input_for(source, database=database, today=today, annex=annex, numbering=numbering)
    if warn is not None:
        for message in data.warnings:
            warn(message)
    _step(progress, 1, "Écriture du rapport PDF…")
    path = write_review(data, out)
    _step(progress, 3, "Rapport enregistré.")
    return path


def export_shortlist(source: DossierSource, out: str | os.PathLike[str], *, database: Database | None = None,
                     progress: Progress | None = None) -> Path:
    from achatsdesk.documents.xlsx_shortlist import write_shortlist

    _step(progress, 0, "Lecture de la liste de fournisseurs…")
    subject = _load(source, database)
    refusal = export_refusal("shortlist", subject.dossier, subject.shortlist_snapshot)
    if refusal is not None:
        raise refusal
    rows = shortlist_rows_for(subject, database)
    _step(progress, 1, f"Écriture de {format_number(len(rows))} fournisseurs…")
    path = write_shortlist(rows, out, title=subject.dossier.title)
    _step(progress, 3, "Liste enregistrée.")
    return path
