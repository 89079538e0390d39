"""The buyer's own pieces filled in place: the shipped sample models and a model made in LibreOffice."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from achatsdesk.domain.dossier import Dossier
from achatsdesk.paths import resources_dir
from achatsdesk.services.exports import annex_input_for
from achatsdesk.services.pieces import fill_piece

TODAY = date(2026, 11, 26)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"
SAMPLE_CCAP = resources_dir() / "templates" / "modele-ccap.docx"
SAMPLE_RC = resources_dir() / "templates" / "modele-rc.docx"
ARTICLE = re.compile(r"^Article (\d+)\s*[-–]\s*(.*)$")


def _example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _paragraphs(path: Path) -> list[tuple[str | None, str]]:
    """(style id, text) of every body paragraph, content controls included, in order."""
    out = []
    for p in Document(str(path)).element.body.iter(qn("w:p")):
        style = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        out.append((style.get(qn("w:val")) if style is not None else None, "".join(t.text or "" for t in p.iter(qn("w:t")))))
    return out


def _articles(path: Path) -> list[tuple[str | None, int, str]]:
    return [(style, int(m.group(1)), m.group(2)) for style, text in _paragraphs(path) if (m := ARTICLE.match(text))]


def test_the_sample_ccap_is_filled_at_its_markers(tmp_path: Path):
    dossier = _example()
    warnings: list[str] = []
    out, report = fill_piece(dossier, SAMPLE_CCAP, tmp_path / "ccap.docx", today=TODAY, warn=warnings.append)
    articles = _articles(out)
    # numbering continued: 1, 2, 3 of the model, the clauses from 4, then the model's own articles moved on
    assert [n for _, n, _ in articles] == list(range(1, len(articles) + 1))
    assert articles[3][2].startswith("Clause d'insertion")  # the first social clause right after "Article 3"
    assert articles[-2][2] == "Pénalités" and articles[-1][2] == "Règlement des différends"
    # every article in the model's own heading style, read back
    assert {style for style, _, _ in articles} == {"Heading1"}
    assert Document(str(out)).styles["Heading 1"].element.styleId == "Heading1"
    # the clauses of the CCAP are all there, the others reported with their missing markers
    ccap = [c for c in annex_input_for(dossier, today=TODAY).clauses if c.target == "CCAP" and not c.is_award_criterion]
    inserted = {clause_id for _, clause_id in report.articles}
    assert inserted == {c.id for c in ccap}
    assert "criteres_rc" in report.missing and "specifications_cctp" in report.missing
    assert any("{{ achatsdesk.criteres_rc }}" in w for w in warnings)
    text = "\n".join(t for _, t in _paragraphs(out))
    assert "{{" not in text and "achatsdesk." not in text
    assert "Le présent marché a pour objet : Nettoyage des collèges." in text
    assert "Montant estimé : 1\u202f200\u202f000\u00a0€\u00a0HT ; durée : 48 mois." in text
    # the content control keeps its tag (the piece can be filled again) and now holds the value
    tags = {t.get(qn("w:val")): "".join(x.text or "" for x in t.getparent().getparent().iter(qn("w:t")))
            for t in Document(str(out)).element.body.iter(qn("w:tag"))}
    assert tags["achatsdesk.acheteur"] == "Département du Val-d'Oise"
    assert "Condition d'exécution à caractère environnemental" in tags["achatsdesk.clauses_ccap_environnement"]


def test_the_sample_rc_receives_the_criteria_and_the_mentions(tmp_path: Path):
    out, report = fill_piece(_example(), SAMPLE_RC, tmp_path / "rc.docx", today=TODAY)
    articles = _articles(out)
    assert [n for _, n, _ in articles] == list(range(1, len(articles) + 1))
    titles = [t for _, _, t in articles]
    assert titles.index("Jugement des offres") < titles.index("Critère : caractéristiques environnementales de l'offre".replace(" :", "\u00a0:"))
    assert "criteres_rc" in report.filled and "clauses_rc" in report.filled


def test_unknown_markers_are_left_untouched_and_reported(tmp_path: Path):
    model = Document(str(SAMPLE_CCAP))
    model.add_paragraph("Voir {{ achatsdesk.annexe_financiere }} et {{ autre.moteur }}.")
    path = tmp_path / "modele.docx"
    model.save(str(path))
    warnings: list[str] = []
    out, report = fill_piece(_example(), path, tmp_path / "ccap.docx", today=TODAY, warn=warnings.append)
    assert report.unknown == ["annexe_financiere"]
    text = "\n".join(t for _, t in _paragraphs(out))
    assert "Voir {{ achatsdesk.annexe_financiere }} et {{ autre.moteur }}." in text
    assert any("achatsdesk.annexe_financiere" in w and "laissé tel quel" in w for w in warnings)


def test_a_model_without_any_marker_says_what_it_lacks(tmp_path: Path):
    path = tmp_path / "vide.docx"
    Document().save(str(path))
    out, report = fill_piece(_example(), path, tmp_path / "piece.docx", today=TODAY)
    assert report.articles == [] and "clauses_ccap" in report.missing and report.unplaced


def test_a_placeholder_split_across_runs_is_still_found(tmp_path: Path):
    """Word splits what the buyer typed into several runs (spelling, revisions)."""
    model = Document()
    paragraph = model.add_paragraph()
    for piece in ("Objet : {{ achats", "desk.ob", "jet }}", " (fin)"):
        paragraph.add_run(piece).bold = piece.startswith("Objet")
    path = tmp_path / "modele.docx"
    model.save(str(path))
    out, _ = fill_piece(_example(), path, tmp_path / "piece.docx", today=TODAY)
    filled = Document(str(out)).paragraphs[0]
    assert filled.text == "Objet : Nettoyage des collèges (fin)" and filled.runs[0].bold


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_a_model_made_in_libreoffice(tmp_path: Path):
    html = tmp_path / "modele-lo.html"
    html.write_text(
        "<html><body><h1>Article 1 - Objet</h1><p>Le marché porte sur {{ achatsdesk.objet }}.</p>"
        "<p>{{ achatsdesk.clauses_ccap }}</p><h1>Article 2 - Prix</h1><p>Les prix sont fermes.</p></body></html>",
        encoding="utf-8")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(html)],
                   check=True, capture_output=True, timeout=120)
    model = tmp_path / "modele-lo.docx"
    out, report = fill_piece(_example(), model, tmp_path / "piece.docx", today=TODAY)
    articles = _articles(out)
    assert [n for _, n, _ in articles] == list(range(1, len(articles) + 1)) and len(articles) > 3
    assert {style for style, _, _ in articles} == {"Heading1"}  # LibreOffice's own heading style, once
    assert articles[-1][2] == "Prix"
    styles = re.findall(rb'w:styleId="([^"]+)"', io.BytesIO(
        __import__("zipfile").ZipFile(out).read("word/styles.xml")).getvalue())
    assert len(styles) == len(set(styles))
    raw = "\n".join(t for _, t in _paragraphs(out))
    assert "Article 2 - " in raw  # the model's own separator is kept


def test_a_model_whose_headings_are_numbered_by_word(tmp_path: Path):
    """Headings numbered by a Word list: the clauses take the style, the list gives the number."""
    from docx.oxml import OxmlElement

    model = Document()
    heading = model.styles["Heading 1"].element
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), model.styles["List Number"].element.pPr.numPr.numId.get(qn("w:val")))
    num_pr.append(num_id)
    heading.get_or_add_pPr().insert_element_before(  # schema order: after keepNext, keepLines
        num_pr, "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr")
    model.add_heading("Objet", 1)
    model.add_paragraph("{{ achatsdesk.clauses_ccap }}")
    model.add_heading("Pénalités", 1)
    path = tmp_path / "modele-numerote.docx"
    model.save(str(path))
    out, report = fill_piece(_example(), path, tmp_path / "piece.docx", today=TODAY)
    headings = [text for style, text in _paragraphs(out) if style == "Heading1"]
    assert headings[0] == "Objet" and headings[-1] == "Pénalités" and len(headings) == len(report.articles) + 2
    assert not any(h.startswith("Article") for h in headings)  # Word's list numbers them, not the text


def test_the_shipped_models_themselves_open_without_repair():
    from tests.conftest import docx_errors

    for model in (SAMPLE_CCAP, SAMPLE_RC):
        assert docx_errors(model) == [], model.name
