"""Documents benchmark: a 60-clause Word annex and a 60-item PDF review report; prints JSON.

Run: .venv/bin/python bench/documents.py [--runs N]

The annex is timed against bare python-docx writing the same headings and
paragraphs (Document(), add_heading, add_paragraph, save) in the same run, so
the ratio says what our header, footer fields, table of contents, typography,
tables and safe output cost. The clauses are the shipped library's, rendered
with their defaults (cycled to reach 60). Each figure is the median of --runs
runs after one warm-up run (font registration and imports are not counted).
Targets (issue 6): annex <= 0.6 s and <= 1.5 x bare; review PDF <= 0.5 s.

Issue 14 adds the buyer's own model: a 40-page organisation model (made up,
generated here) filled with the same 60 clauses at its markers, against bare
python-docx opening the same model and appending the same headings and
paragraphs; and `dossier audit-docx` (the whole use case: the dossier's
obligations, the candidate clauses rendered, the piece read and searched) on
that 40-page piece. Targets: fill <= 0.8 s and <= 1.5 x bare; audit <= 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _clauses(count: int):
    from achatsdesk.documents.model import RenderedClause
    from achatsdesk.domain.clauses import KIND_LABELS, render_clause
    from achatsdesk.services.clause_library import load_library

    library = load_library(None).all()
    out = []
    for index in range(count):
        template = library[index % len(library)]
        out.append(RenderedClause(
            id=f"{template.id}-{index}", version=template.version, title=template.title,
            body=render_clause(template, {}), kind=KIND_LABELS.get(template.kind, template.kind),
            document=template.document, legal_basis=template.legal_basis,
            weight_percent=10.0 if template.kind == "critere-attribution" else None,
        ))
    return out


def _bare(clauses, path: Path) -> None:
    from docx import Document

    from achatsdesk.documents.docx_annex import body_paragraphs

    document = Document()
    for number, clause in enumerate(clauses, start=1):
        document.add_heading(f"Article {number} – {clause.title}", 2)
        for text in body_paragraphs(clause):
            document.add_paragraph(text)
    document.save(str(path))


def _model(path: Path, pages: int = 40) -> Path:
    """A made-up organisation CCAP of about ``pages`` pages, with achatsdesk markers."""
    from docx import Document

    document = Document()
    sentence = ("Le titulaire exécute les prestations conformément aux stipulations du présent cahier et aux "
                "règles de l'art, sous le contrôle du représentant de l'acheteur désigné à la notification. ")
    article = 0
    for page in range(pages):
        if page % 2 == 0:
            article += 1
            document.add_heading(f"Article {article} – Stipulation d'exemple numéro {article}", 1)
        for _ in range(5):
            document.add_paragraph(sentence * 3)
        if page == pages // 3:
            document.add_paragraph("{{ achatsdesk.clauses_ccap_social }}")
        if page == pages // 2:
            document.add_paragraph("{{ achatsdesk.clauses_ccap }}")
    document.save(str(path))
    return path


def _bare_fill(model: Path, clauses, path: Path) -> None:
    from docx import Document

    from achatsdesk.documents.docx_annex import body_paragraphs

    document = Document(str(model))
    for number, clause in enumerate(clauses, start=1):
        document.add_heading(f"Article {number} – {clause.title}", 1)
        for text in body_paragraphs(clause):
            document.add_paragraph(text)
    document.save(str(path))


def _fill(model: Path, clauses, path: Path) -> None:
    from achatsdesk.documents.docx_fill import PieceInput, fill_model
    from achatsdesk.documents.docx_xml import open_template

    document = open_template(model)
    fill_model(document, PieceInput("Dossier de démonstration", "Dossier de démonstration", {"objet": "Démonstration"},
                                    [c if c.target == "CCAP" else _as_ccap(c) for c in clauses]))
    document.save(str(path))


def _as_ccap(clause):
    from dataclasses import replace

    return replace(clause, document="CCAP", kind="condition d'exécution", weight_percent=None)


def _review_input(items: int):
    from achatsdesk.documents.model import (
        ChecklistItemRow,
        ChecklistStepRow,
        ProcedureInfo,
        ReviewReportInput,
    )
    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.dossier_rules import analyse

    dossier = Dossier.from_dict(json.loads((ROOT / "examples" / "nettoyage-colleges.json").read_text(encoding="utf-8")))
    analysis = analyse(dossier)
    per_step = items // 6
    steps = [
        ChecklistStepRow(f"Étape {s + 1}", tuple(
            ChecklistItemRow(f"Point de contrôle {s * per_step + i + 1} : vérifier la clause et sa référence",
                             status=("fait", "a_faire", "sans_objet")[i % 3],
                             justification="Justification écrite par l'acheteur" if i % 3 == 2 else "",
                             comment="Commentaire du relecteur" if i % 5 == 0 else "", mandatory=i % 2 == 0)
            for i in range(per_step)))
        for s in range(6)
    ]
    return ReviewReportInput(
        dossier_title=dossier.title, buyer_name=dossier.buyer.name, reference="BENCH-1",
        summary=[("Intitulé", dossier.title), ("Montant estimé", "1200000 € HT")],
        procedure=ProcedureInfo("Procédure formalisée", "216000 € HT", analysis.assessment.procedure.explanation),
        obligations=list(analysis.assessment.obligations), checklist=steps, clauses=_clauses(12),
        generated_on=date(2026, 11, 26),
    )


def _median(fn, runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("ACHATSDESK_HOME", tempfile.mkdtemp(prefix="achatsdesk-bench-"))

    from achatsdesk.documents.docx_annex import write_annex
    from achatsdesk.documents.model import AnnexInput
    from achatsdesk.documents.pdf_review import write_review

    clauses = _clauses(60)
    annex = AnnexInput("Acheteur de démonstration", "Dossier de démonstration", "BENCH-1", clauses, issued_on=date(2026, 11, 26))
    review = _review_input(60)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        bare, bare_runs = _median(lambda: _bare(clauses, out / "bare.docx"), args.runs)
        ours, annex_runs = _median(lambda: write_annex(annex, out / "annexe.docx"), args.runs)
        pdf, pdf_runs = _median(lambda: write_review(review, out / "rapport.pdf"), args.runs)
        model = _model(out / "modele-40-pages.docx")
        bare_fill, bare_fill_runs = _median(lambda: _bare_fill(model, clauses, out / "bare-fill.docx"), args.runs)
        fill, fill_runs = _median(lambda: _fill(model, clauses, out / "piece.docx"), args.runs)
        from achatsdesk.services.pieces import audit_piece

        example = ROOT / "examples" / "nettoyage-colleges.json"
        audit, audit_runs = _median(lambda: audit_piece(example, out / "piece.docx"), args.runs)
        sizes = {name: (out / name).stat().st_size
                 for name in ("bare.docx", "annexe.docx", "rapport.pdf", "modele-40-pages.docx", "piece.docx")}
    result = {
        "machine": {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count()},
        "runs": args.runs,
        "annex_60_clauses_s": round(ours, 4),
        "bare_python_docx_same_paragraphs_s": round(bare, 4),
        "annex_over_bare_ratio": round(ours / bare, 2),
        "review_pdf_60_items_s": round(pdf, 4),
        "fill_40_page_model_60_clauses_s": round(fill, 4),
        "bare_python_docx_same_paragraphs_into_model_s": round(bare_fill, 4),
        "fill_over_bare_ratio": round(fill / bare_fill, 2),
        "audit_docx_40_page_piece_s": round(audit, 4),
        "targets": {"annex_s": 0.6, "annex_over_bare_ratio": 1.5, "review_pdf_s": 0.5,
                    "fill_s": 0.8, "fill_over_bare_ratio": 1.5, "audit_docx_s": 0.5},
        "met": {"annex_s": ours <= 0.6, "annex_over_bare_ratio": ours / bare <= 1.5, "review_pdf_s": pdf <= 0.5,
                "fill_s": fill <= 0.8, "fill_over_bare_ratio": fill / bare_fill <= 1.5, "audit_docx_s": audit <= 0.5},
        "all_runs_s": {"annex": [round(t, 4) for t in annex_runs], "bare": [round(t, 4) for t in bare_runs],
                       "review_pdf": [round(t, 4) for t in pdf_runs], "fill": [round(t, 4) for t in fill_runs],
                       "bare_fill": [round(t, 4) for t in bare_fill_runs], "audit_docx": [round(t, 4) for t in audit_runs]},
        "file_sizes_bytes": sizes,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
