"""One source for each figure (issue 12, Done-when 2): a clause's hours typed over the sizing
are shown with the computed figure in the panel, the annex, the review PDF, the indicators
and the CLI's warnings; with lots, each lot's clause carries its own hours."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from docx import Document

from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.domain.formatting import format_number
from achatsdesk.services import dossiers as svc
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_figures import (
    consistency_warnings,
    dossier_figures,
    resolved_dossier,
)
from achatsdesk.services.exports import export_annex, export_review
from achatsdesk.services.indicators import dossier_indicators
from tests.documents.samples import pdf_text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


def _example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _flat(text: str) -> str:
    """Spaces of any kind as one plain space (the documents use narrow no-break spaces)."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_hours_typed_over_the_sizing_show_both_figures_everywhere(qtbot, make_editor, database, tmp_path, capsys):
    dossier = _example()
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {"heures": 2000})]
    dossier_id = svc.create_dossier(database, dossier)
    library = load_library(database)
    figures = dossier_figures(dossier, library)
    computed = figures.computed_total
    assert computed and computed != 2000
    both = _flat(f"2 000 h saisies, {format_number(computed)} h calculées")
    [hours] = figures.clause_hours
    assert _flat(hours.text()) == both

    # The editor's panel.
    editor = make_editor(dossier_id)
    panel_text = editor.export_actions.editor.findChild(type(editor.summary), "clauseHours").text()
    assert both in _flat(panel_text)

    # The Word annex: the clause states 2 000 h, with both figures beside it.
    annex = _flat(_docx_text(export_annex(dossier_id, tmp_path / "annexe.docx", database=database)))
    assert "2 000 heures de travail" in annex and both in annex

    # The review PDF.
    review = _flat(pdf_text(export_review(dossier_id, tmp_path / "rapport.pdf", database=database)))
    assert both in review

    # The indicators count what the clause states.
    [year] = dossier_indicators(database)
    assert year.insertion_hours == 2000

    # export --json: the warnings name both figures (and stderr without --json).
    from achatsdesk.cli import main

    assert main(["export", "annex", str(dossier_id), "-o", str(tmp_path / "cli.docx"), "--json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any(both in _flat(w) for w in warnings)
    assert main(["export", "annex", str(dossier_id), "-o", str(tmp_path / "cli2.docx")]) == 0
    assert both in _flat(capsys.readouterr().err)
    assert main(["export", "review", str(dossier_id), "-o", str(tmp_path / "cli.pdf"), "--json"]) == 0
    assert any(both in _flat(w) for w in json.loads(capsys.readouterr().out)["warnings"])


def test_a_clause_without_typed_hours_follows_the_sizing_not_the_template_default(database):
    dossier = _example()
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {})]
    library = load_library(database)
    computed = dossier_figures(dossier, library).computed_total
    assert computed != 833  # the template's default
    assert resolved_dossier(dossier, library).clauses[0].variables["heures"] == computed
    svc.create_dossier(database, dossier)
    assert dossier_indicators(database)[0].insertion_hours == computed
    assert not [w for w in consistency_warnings(dossier, library) if w.code == "hours"]


def test_with_two_lots_each_lot_clause_carries_its_own_hours(database, tmp_path):
    dossier = _example()
    dossier.lots = [Lot("Collèges de l'est", "90911200-8", Decimal(800_000)),
                    Lot("Collèges de l'ouest", "90911200-8", Decimal(400_000))]
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {}, lot=0),
                       ClauseSelection("insertion-heures", "1.0", {}, lot=1)]
    library = load_library(database)
    figures = dossier_figures(dossier, library)
    per_lot = [int(line.hours) for line in figures.sizing.lines]
    assert len(per_lot) == 2 and per_lot[0] != per_lot[1]
    assert [h.stated for h in figures.clause_hours] == per_lot
    dossier_id = svc.create_dossier(database, dossier)
    annex = _flat(_docx_text(export_annex(dossier_id, tmp_path / "lots.docx", database=database)))
    for hours in per_lot:
        assert _flat(f"{format_number(hours)} heures de travail") in annex


def test_the_consistency_check_lists_what_to_look_at(database):
    dossier = _example()
    dossier.estimated_amount_eur = Decimal(1_000_000)
    dossier.lots = [Lot("Lot A", None, Decimal(700_000)), Lot("Lot B", "99999999-9", Decimal(0))]
    dossier.lots = dossier.lots[:2]
    dossier.clauses = [ClauseSelection("reserve-siae", "1.0", {"objet": "le lot n° 1"})]
    library = load_library(database)
    codes = {w.code for w in consistency_warnings(dossier, library, known_cpv=lambda code: code == "90911200-8")}
    assert {"lots-vs-estimate", "lot-amount", "lot-cpv", "mandatory"} <= codes
    undivided = _example()
    undivided.clauses = [ClauseSelection("reserve-siae", "1.0", {"objet": "le lot n° 1"})]
    assert "reserved-lot" in {w.code for w in consistency_warnings(undivided, library)}
    facilitator = _example()
    facilitator.clauses = [ClauseSelection("insertion-heures", "1.0", {})]
    messages = [w.message for w in consistency_warnings(facilitator, library) if w.code == "defaults"]
    assert messages and "Structure du facilitateur" in messages[0]
