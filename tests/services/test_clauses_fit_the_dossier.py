"""Clauses chosen for this dossier: four made-up dossiers, no contradiction in their annex,
every "à vérifier" clause flagged under its article and in the closing list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from achatsdesk.documents.docx_annex import write_annex
from achatsdesk.documents.model import AnnexPart
from achatsdesk.documents.typography import prepare
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services.clause_library import load_library
from achatsdesk.services.dossier_rules import analyse
from achatsdesk.services.exports import annex_input_for

TODAY = date(2026, 11, 26)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"
BUYER = {"name": "Commune d'exemple (inventée)", "kind": "collectivite", "annual_purchases_eur": 20_000_000}


def _dossier(**values) -> Dossier:
    return Dossier.from_dict({"buyer": BUYER, "duration_months": 24, "launch_date": "2026-12-01", **values})


DOSSIERS = {
    "exemple": lambda: Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))),
    "fournitures-dispense": lambda: _dossier(
        title="Fournitures de bureau", nature="fournitures", cpv=["30192000-1"], estimated_amount_eur=30_000),
    "travaux-lots": lambda: _dossier(
        title="Réhabilitation d'une école", nature="travaux", cpv=["45214200-2"], estimated_amount_eur=2_400_000,
        lots=[{"title": "Gros œuvre", "cpv": "45223220-4", "amount_eur": 1_500_000},
              {"title": "Peinture", "cpv": "45442100-8", "amount_eur": 900_000}]),
    "restauration": lambda: _dossier(
        title="Restauration scolaire", nature="services", cpv=["55523100-3"], estimated_amount_eur=900_000),
}


@pytest.fixture(scope="module")
def library():
    return load_library(None)


def _annex(name: str):
    dossier = DOSSIERS[name]()
    return dossier, annex_input_for(dossier, today=TODAY)


@pytest.mark.parametrize("name", list(DOSSIERS))
def test_no_contradiction_in_the_annex(name, library):
    dossier, data = _annex(name)
    procedure = analyse(dossier, TODAY).assessment.procedure.id
    templates = {c.id: library.get(c.id) for c in data.clauses}
    bodies = "\n".join(c.body for c in data.clauses) + "\n".join(c.title for c in data.clauses)
    divided = len(dossier.lots) >= 2
    # no reserved lot (nor any clause that needs lots) on an undivided contract
    if not divided:
        assert "reserve-lot-siae-rc" not in templates
        assert not any(t.applies_to.divided for t in templates.values())
    # no RC award criterion and no notice section for a purchase without competition
    if procedure == "dispense":
        assert not [c for c in data.clauses if c.is_award_criterion]
        assert not [c for c in data.clauses if c.target == "AAPC"] and not data.publishes_notice
    # a clause written for another nature (deliveries, supplies' labels) stays out
    for template in templates.values():
        assert not template.applies_to.natures or dossier.nature.value in template.applies_to.natures, template.id
    # the AGEC category comes from the CPV code, never left at the textile default
    agec = next((c for c in data.clauses if c.id == "agec-reemploi-recycle"), None)
    if name == "fournitures-dispense":
        assert agec is not None and "« Fournitures de bureau »" in agec.body.replace("\u00a0", " ")
    if agec is not None:
        assert "Textiles" not in agec.body
    # no choice printed as a choice, no sentence addressed to the buyer, no stock reason for a global contract
    assert "socle ou complet" not in bodies
    assert "l'acheteur en consigne" not in bodies
    assert "rendrait techniquement difficile" not in bodies
    lots_clause = next((c for c in data.clauses if c.id == "allotissement-justification"), None)
    if lots_clause is not None and not divided:
        assert "[À RÉDIGER PAR L'ACHETEUR" in lots_clause.body and lots_clause.to_write
    if lots_clause is not None and divided:
        assert "décomposé en 2 lots" in lots_clause.body and not lots_clause.to_write


def test_the_dispense_supplies_dossier_is_a_dispense():
    """The test above means something only if the made-up dossier really is a dispense."""
    assert analyse(DOSSIERS["fournitures-dispense"](), TODAY).assessment.procedure.id == "dispense"
    assert analyse(DOSSIERS["travaux-lots"](), TODAY).assessment.procedure.id != "dispense"


def test_works_and_catering_get_no_supplies_clause():
    for name in ("travaux-lots", "restauration"):
        _, data = _annex(name)
        ids = {c.id for c in data.clauses}
        assert not ids & {"livraisons-bas-carbone", "labels-equivalence"}, name
    _, catering = _annex("restauration")
    assert "restauration-egalim" in {c.id for c in catering.clauses}


@pytest.mark.parametrize("name", list(DOSSIERS))
def test_every_clause_to_confirm_is_flagged_in_the_annex(name, tmp_path):
    _, data = _annex(name)
    flagged = [c for c in data.clauses if c.to_confirm or c.to_write]
    assert flagged, "each dossier has at least one clause to confirm"
    document = Document(str(write_annex(data, tmp_path / "annexe.docx")))
    marks: dict[str, list[str]] = {}  # article heading -> the paragraphs under it
    current = None
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("Heading 1", "Heading 2"):
            current = paragraph.text
            marks[current] = []
        elif current is not None:
            marks[current].append(paragraph.text)
    closing = "\n".join(marks["Points à vérifier avant publication"])
    labels = {c.id: label for label, c in data.articles()}
    for clause in flagged:
        heading = next(h for h in marks if h.startswith("Article ") and h.endswith(prepare(clause.title)))
        under = "\n".join(marks[heading])
        assert "À vérifier\u00a0:" in under or "À rédiger\u00a0:" in under, clause.id
        assert prepare(labels[clause.id]) in closing, clause.id
    # the traceability table names the unconfirmed bases
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Article")
    for row in table.rows[1:]:
        clause = next(c for c in data.clauses if c.id == row.cells[1].text)
        assert row.cells[3].text.endswith("(à vérifier)") == bool(clause.to_confirm), clause.id


def test_a_chosen_clause_that_does_not_fit_is_reported(library):
    from achatsdesk.domain.dossier import ClauseSelection

    dossier = DOSSIERS["exemple"]()
    dossier.clauses = [ClauseSelection("reserve-lot-siae-rc", variables={"numero_lot": 1, "article": "L2113-13"})]
    data = annex_input_for(dossier, today=TODAY)
    assert any("lot réservé" in w and "décomposé en lots" in w for w in data.warnings)
    assert data.articles()[0][0] == "RC, art. 1" and data.articles()[0][1].part == AnnexPart.RC


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="poppler-utils (pdftotext) absent")
@pytest.mark.parametrize("name", list(DOSSIERS))
def test_every_clause_to_confirm_is_flagged_in_the_review(name, tmp_path):
    import subprocess

    from achatsdesk.documents.pdf_review import write_review
    from achatsdesk.services.exports import review_input_for

    dossier = DOSSIERS[name]()
    data = review_input_for(dossier, today=TODAY)
    pdf = write_review(data, tmp_path / "rapport.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                    .stdout.replace("\u00a0", " ").split())
    flagged = [c for c in data.clauses if c.to_confirm or c.to_write]
    assert flagged and "Points à vérifier avant publication" in text
    for clause in flagged:
        for note in clause.to_confirm:
            assert " ".join(f"À vérifier : {note}".replace("\u00a0", " ").split())[:60] in text, clause.id
        for label in clause.to_write:
            assert " ".join(f"À rédiger : {label}".split())[:40] in text, clause.id
