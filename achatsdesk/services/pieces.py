"""Use cases on the buyer's own Word pieces: fill a model in place, audit a draft.

The dossier is read as for the exports (an id, a DOSSIER.json or a Dossier);
the documents layer does the Word work (documents/docx_fill.py, docx_audit.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from achatsdesk.documents.docx_fill import FIELDS, GROUPS, FillReport, PieceInput, fill_model
from achatsdesk.documents.docx_xml import open_template
from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.domain.formatting import format_date_long, format_money
from achatsdesk.services.exports import DossierSource, _load, rendered_clauses
from achatsdesk.storage.database import Database


def piece_fields(source_dossier, database: Database | None, today: date) -> dict[str, str]:
    """The values of the field markers (objet, acheteur, montant, lots, durée, lieu, date)."""
    dossier = source_dossier
    place = dossier.place_insee or ""
    if database is not None and dossier.place_insee:
        from achatsdesk.services.reference import ReferenceService

        commune = ReferenceService(database).get_commune(dossier.place_insee)
        place = commune.name if commune else place
    lots = "; ".join(f"lot n° {i} : {lot.title}" for i, lot in enumerate(dossier.lots, start=1))
    return {
        "objet": dossier.title,
        "acheteur": dossier.buyer.name,
        "reference": dossier.reference or "",
        "montant": format_money(dossier.amount_eur) if dossier.amount_eur else "",
        "lots": lots or "marché non décomposé en lots",
        "duree": f"{dossier.duration_months} mois" if dossier.duration_months else "",
        "lieu": place,
        "date": format_date_long(today),
    }


def fill_piece(source: DossierSource, model: str | os.PathLike[str], out: str | os.PathLike[str], *,
               database: Database | None = None, today: date | None = None,
               warn: Callable[[str], None] | None = None) -> tuple[Path, FillReport]:
    """Fill the buyer's model with the dossier's fields and clauses; writes ``out`` safely."""
    from achatsdesk.services.exports import template_cleaned_message

    today = today or date.today()
    subject = _load(source, database)
    dossier = subject.dossier
    data = PieceInput(
        title=dossier.title, subject=" – ".join(x for x in (dossier.title, dossier.reference) if x),
        fields=piece_fields(dossier, database, today), clauses=rendered_clauses(subject, database),
    )
    document = open_template(model)
    report = fill_model(document, data)
    path = write_atomically(out, lambda temp: document.save(str(temp)))
    if warn is not None:
        for message in report.messages():
            warn(message)
        if report.dropped:
            warn(template_cleaned_message(report.dropped))
    return path, report


# --- audit of a draft ----------------------------------------------------------------------------
def audit_piece(source: DossierSource, piece: str | os.PathLike[str], *, database: Database | None = None,
                today: date | None = None) -> list[dict]:
    """For each obligation of the dossier: is a clause answering it in the piece, and where.

    ``[{"id", "status", "title", "found", "paragraph", "paragraph_index", "clause", "by"}]``,
    every obligation of the dossier in the rules' order."""
    from achatsdesk.documents.docx_audit import clause_pattern, find_clauses, read_piece
    from achatsdesk.domain.clauses import render_clause
    from achatsdesk.domain.suggestions import clauses_answering
    from achatsdesk.services.dossier_rules import analyse
    from achatsdesk.services.exports import _library, _suggested

    subject = _load(source, database)
    dossier = subject.dossier
    library = _library(database)
    obligations = analyse(dossier, today).assessment.obligations
    values = {s.clause_id: s.variables for s in dossier.clauses}
    if not values:
        values = {template.id: variables for template, variables in _suggested(dossier, library, database)}
    candidates: dict[str, list] = {o.id: clauses_answering(library.all(), o.id, dossier) for o in obligations}
    patterns = {}
    for templates in candidates.values():
        for template in templates:
            if template.id in patterns:
                continue
            try:
                rendered = render_clause(template, values.get(template.id))
            except Exception:  # noqa: BLE001 - a stored value the clause no longer accepts: its defaults
                rendered = render_clause(template)
            patterns[template.id] = clause_pattern(template.id, template.body, rendered,
                                                   award_criterion=template.kind == "critere-attribution")
    document = open_template(piece)
    found = find_clauses(read_piece(document), list(patterns.values()))
    out = []
    for obligation in obligations:
        hit = next((found[t.id] for t in candidates[obligation.id] if t.id in found), None)
        out.append({
            "id": obligation.id,
            "status": str(getattr(obligation.status, "value", obligation.status)),
            "title": obligation.title,
            "found": hit is not None,
            "paragraph": hit.paragraph.text.strip()[:300] if hit else None,
            "paragraph_index": hit.paragraph.index if hit else None,
            "clause": hit.clause_id if hit else None,
            "by": hit.by if hit else None,
        })
    return out


def marker_names() -> list[tuple[str, str]]:
    """The markers a buyer's model may hold (field, then clause group) with their French label,
    for the F1 guide."""
    return [*FIELDS.items(), *GROUPS.items()]
