"""A review a head can sign: every clause in full with its article number, the annex it goes
with (fingerprint), the open warnings, embedded fonts and metadata; any size of dossier renders."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from achatsdesk.documents.docx_annex import body_paragraphs
from achatsdesk.domain.dossier import ClauseSelection, Dossier
from achatsdesk.paths import resources_dir
from achatsdesk.services.exports import (
    annex_input_for,
    export_annex,
    export_review,
    review_input_for,
)

TODAY = date(2026, 11, 26)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"
poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                             reason="poppler-utils (pdftotext, pdffonts, pdfinfo) absent")


def _example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def _flat(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


def _pdf_text(pdf: Path) -> str:
    # header and footer lines removed: they land inside paragraphs split across pages
    lines = [line for line in _run("pdftotext", str(pdf), "-").splitlines()
             if not re.fullmatch(r"\s*Page \d+ sur \d+\s*", line) and not line.startswith(("Rapport de relecture –", "Édité le"))
             and "Réf." not in line and line.strip() != "Département du Val-d'Oise"]  # the header's right side
    return _flat("\n".join(lines))


@poppler
def test_the_review_holds_every_clause_in_full_with_its_article_number(tmp_path: Path):
    dossier = _example()
    annex = export_annex(dossier, tmp_path / "annexe.docx", today=TODAY)
    pdf = export_review(dossier, tmp_path / "rapport.pdf", today=TODAY, annex=annex)
    data = review_input_for(dossier, today=TODAY, annex=annex)
    text = _pdf_text(pdf)
    annex_data = annex_input_for(dossier, today=TODAY)
    for article, clause in annex_data.articles():
        assert _flat(f"{article} – {clause.title}") in text, article
        for paragraph in body_paragraphs(clause):
            assert _flat(paragraph.lstrip("-–•* ")) in text, (clause.id, paragraph)
        for note in clause.to_confirm:
            assert _flat(f"À vérifier : {note}") in text, clause.id
    # tied to one annex: its name, and the fingerprint the annex prints in its footer
    footer = "\n".join(p.text for p in Document(str(annex)).sections[0].footer.paragraphs)
    assert f"jeu de clauses {annex_data.fingerprint}" in footer
    assert data.fingerprint == annex_data.fingerprint and annex_data.fingerprint in text
    assert "annexe.docx" in text and "Points à vérifier avant publication" in text
    assert "Alertes de cohérence encore ouvertes" in text
    assert f"qui forment le jeu de clauses {data.fingerprint}" in text


@poppler
def test_open_warnings_and_a_stale_annex_are_in_the_review(tmp_path: Path):
    dossier = _example()
    annex = export_annex(dossier, tmp_path / "annexe.docx", today=TODAY)
    dossier.clauses = [ClauseSelection("reserve-lot-siae-rc", variables={"numero_lot": 1, "article": "L2113-13"})]
    text = _pdf_text(export_review(dossier, tmp_path / "rapport.pdf", today=TODAY, annex=annex))
    assert "ne convient pas à ce dossier : elle suppose un marché décomposé en lots" in text
    assert "exportez de nouveau l'annexe avant de signer" in text


@poppler
def test_every_font_is_embedded_and_the_metadata_is_set(tmp_path: Path):
    pdf = export_review(_example(), tmp_path / "rapport.pdf", today=TODAY)
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert not any("Helvetica" in line for line in fonts)
    assert all("DejaVuSans" in line for line in fonts)
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Title:\s+Rapport de relecture – Nettoyage des collèges", info, re.M)
    assert re.search(r"^Author:\s+Département du Val-d'Oise", info, re.M)
    assert re.search(r"^Subject:\s+Rapport de relecture du dossier de consultation – jeu de clauses [0-9A-F]{4}-", info, re.M)


@poppler
def test_any_number_of_lots_and_cpv_and_any_title_length_render(tmp_path: Path):
    """Issue 13: reportlab's LayoutError for 70 lots, 100 CPV codes or a 20 000-character title."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    title = ("Nettoyage des collèges et des gymnases du département " * 400)[:20_000]
    with open(resources_dir() / "data" / "cpv_2008_fr_en.csv", encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)][:300]
    data.update(title=title, cpv=codes,
                lots=[{"title": f"Lot géographique n° {i} " + "secteur " * 6, "amount_eur": 6000} for i in range(200)])
    pdf = export_review(Dossier.from_dict(data), tmp_path / "rapport.pdf", today=TODAY)
    text = _flat(_run("pdftotext", str(pdf), "-"))
    assert "Lot géographique n° 199" in text and codes[-1] in text
    assert "Intitulé abrégé : le texte complet figure dans la synthèse." in text
    # the whole title is in the summary, split across pages rather than refused
    assert text.count("gymnases du département") >= title.count("gymnases du département")
    assert int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1)) > 5
