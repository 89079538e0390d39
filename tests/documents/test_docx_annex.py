from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from achatsdesk.documents.docx_annex import build_annex, write_annex
from achatsdesk.documents.docx_xml import open_template
from achatsdesk.documents.model import AnnexPart
from achatsdesk.errors import InputFileError
from tests.documents.samples import (
    HOSTILE_TITLE,
    annex_input,
    docx_to_pdf,
    pdf_text,
    requires_office,
)

ORG_HEADER = "ORGANISATION D'EXEMPLE – modèle générique"


def _instructions(element) -> str:
    return " ".join(node.text or "" for node in element.iter(qn("w:instrText")))


def _make_org_template(path: Path, *, as_dotx: bool) -> Path:
    """An organisation template with its own heading font, margins and header (generic, made up)."""
    document = Document()
    heading = document.styles["Heading 1"]
    heading.font.name = "Georgia"
    heading.element.rPr.rFonts.attrib.pop(qn("w:asciiTheme"), None)
    heading.element.rPr.rFonts.attrib.pop(qn("w:hAnsiTheme"), None)
    heading.font.size = Pt(17)
    section = document.sections[0]
    section.left_margin = Cm(3.3)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = ORG_HEADER
    document.add_paragraph("Texte d'exemple du modèle, à ne pas reprendre.")
    buffer = io.BytesIO()
    document.save(buffer)
    if not as_dotx:
        path.write_bytes(buffer.getvalue())
        return path
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info.filename, data)
    return path


def test_annex_structure_reads_back(tmp_path: Path):
    data = annex_input(5)
    out = write_annex(data, tmp_path / "annexe.docx")
    document = Document(str(out))
    by_style = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert "Annexe au CCAP : clauses sociales et environnementales".replace(" :", "\u00a0:") in by_style["Heading 1"]
    articles = by_style["Heading 2"]
    ccap = [c for c in data.clauses if c.part == AnnexPart.CCAP]
    rc = [c for c in data.clauses if c.part == AnnexPart.RC]
    assert articles[0].startswith("Article 1 – ") and ccap[0].title in articles[0]
    assert sum(1 for a in articles if a.startswith("Article 1 – ")) == 2  # numbering restarts per part
    assert len(articles) == len(ccap) + len(rc)
    body = "\n".join(p.text for p in document.paragraphs)
    for clause in data.clauses:
        assert f"CLAUSE{clause.id[-1]}FIN" in body
    assert "1\u202f600\u00a0heures" in body and "1\u202f200\u202f000\u00a0€\u00a0HT" in body
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert data.buyer_name in header and data.reference in header
    assert "PAGE" in _instructions(section.footer._element) and "NUMPAGES" in _instructions(section.footer._element)
    assert "Page" in section.footer.paragraphs[0].text and "sur" in section.footer.paragraphs[0].text
    assert "TOC" in _instructions(document.element.body)
    assert round(section.page_width.cm, 1) == 21.0  # A4, not the template's Letter
    trace = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in trace.rows]
    assert rows[0] == ["Article", "Clause", "Version", "Fondement juridique"]
    for clause in data.clauses:
        row = next(r for r in rows if r[1] == clause.id)
        assert row[2] == clause.version and clause.legal_basis.split("art.")[1].strip() in row[3]


def test_parts_can_be_chosen(tmp_path: Path):
    document = build_annex(annex_input(5, parts=(AnnexPart.RC,)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any("critères d'attribution" in h for h in headings)
    assert not any("Annexe au CCAP" in h for h in headings)
    weights = [p.text for p in document.paragraphs if p.text.startswith("Pondération")]
    assert weights and all("10\u00a0%" in w for w in weights)


def test_hostile_title_exports(tmp_path: Path):
    out = write_annex(annex_input(2, dossier_title=HOSTILE_TITLE, buyer_name="Acheteur « test »\x0b"), tmp_path / "a.docx")
    document = Document(str(out))
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert "\x00" not in title and "\x07" not in title and "🧹😀" in title
    assert "«\u00a0guillemets\u00a0»" in title


@pytest.mark.parametrize("as_dotx", [False, True], ids=["docx", "dotx"])
def test_organisation_template_styles_margins_and_header_are_kept(tmp_path: Path, as_dotx: bool):
    template = _make_org_template(tmp_path / ("modele.dotx" if as_dotx else "modele.docx"), as_dotx=as_dotx)
    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=template)
    document = Document(str(out))
    heading = document.styles["Heading 1"]
    assert heading.font.name == "Georgia" and heading.font.size == Pt(17)
    assert round(document.sections[0].left_margin.cm, 1) == 3.3
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert ORG_HEADER in header and "EX-2026-001" in header
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Texte d'exemple du modèle" not in body  # the template's sample text is not carried over
    assert any(p.style.name == "Heading 2" and p.text.startswith("Article 1") for p in document.paragraphs)


def test_unreadable_template_is_refused_in_french(tmp_path: Path):
    bad = tmp_path / "modele.docx"
    bad.write_text("pas un document Word")
    with pytest.raises(InputFileError) as caught:
        open_template(bad)
    assert "modèle" in caught.value.user_message and ".dotx" in caught.value.user_message


@requires_office
def test_libreoffice_renders_articles_clauses_and_page_numbers(tmp_path: Path):
    data = annex_input(6)
    pdf = docx_to_pdf(write_annex(data, tmp_path / "annexe.docx"), tmp_path)
    text = " ".join(pdf_text(pdf).split())
    assert "Article 1 –" in text
    for clause in data.clauses:
        assert f"CLAUSE{clause.id[-1]}FIN" in text
    match = re.search(r"Page 1 sur (\d+)", text)
    assert match, "footer 'Page 1 sur N' not rendered"
    total = int(match.group(1))
    assert total >= 3 and f"Page {total} sur {total}" in text


def test_a_template_heading_line_is_not_repeated():
    from achatsdesk.documents.docx_annex import body_paragraphs
    from achatsdesk.documents.model import RenderedClause

    with_heading = RenderedClause("x", "1", "Horaires des prestations", "Article - Horaires des prestations\n\nTexte.")
    assert body_paragraphs(with_heading) == ["Texte."]
    title_line = RenderedClause("y", "1", "Marché réservé aux SIAE", "Marché réservé\n\nLe marché est réservé.")
    assert body_paragraphs(title_line) == ["Le marché est réservé."]
    plain = RenderedClause("z", "1", "Titre", "Une seule phrase.\n\nUne autre.")
    assert body_paragraphs(plain) == ["Une seule phrase.", "Une autre."]


def test_a_template_without_heading_styles_still_gets_word_headings(tmp_path: Path):
    base = Document()
    styles = base.styles.element
    for style in list(styles):
        if style.tag == qn("w:style") and style.get(qn("w:styleId")) in ("Heading2", "ListBullet", "Title", "TOCHeading"):
            styles.remove(style)
    template = tmp_path / "sans-styles.docx"
    base.save(str(template))
    document = Document(str(write_annex(annex_input(3), tmp_path / "a.docx", template=template)))
    articles = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert articles and articles[0].text.startswith("Article 1 – ")
    heading = document.styles["Heading 2"].element
    assert heading.get(qn("w:customStyle")) is None
    assert heading.find(qn("w:pPr") + "/" + qn("w:outlineLvl")).get(qn("w:val")) == "1"


def test_each_clause_sits_under_its_target_document_and_the_trace_names_it(tmp_path: Path):
    """Review: RC mentions and CCTP specifications sat under "Annexe au CCAP" and the table said "CCAP, art. 28"."""
    from dataclasses import replace

    base = annex_input(3).clauses
    mixed = [
        replace(base[0], id="c-ccap", title="Condition du CCAP", document="CCAP"),
        replace(base[1], id="c-cctp", title="Produits écolabellisés", document="CCTP", kind="spécification technique"),
        replace(base[0], id="c-aapc", title="Marché réservé", document="AAPC", kind="réservation"),
        replace(base[1], id="c-rc", title="Allotissement", document="RC", kind="mention de la consultation"),
        base[2],  # an award criterion (RC)
    ]
    document = build_annex(annex_input(3, clauses=mixed))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert [h.split("\u00a0:")[0] for h in headings[:3]] == [
        "Annexe au CCAP", "Annexe au CCTP", "À reprendre dans l'avis d'appel public à la concurrence"]
    assert headings[3].startswith("Extrait du règlement de la consultation") and headings[3].endswith("autres mentions")
    texts = [text for _, text in paragraphs]
    cctp_heading = next(i for i, (style, t) in enumerate(paragraphs) if style == "Heading 1" and t.startswith("Annexe au CCTP"))
    assert "À insérer dans le cahier des clauses techniques particulières (CCTP)." == texts[cctp_heading + 1]
    assert texts[cctp_heading + 2].startswith("Article 1 – Produits")  # its own numbering
    rows = {row.cells[1].text: row.cells[0].text for row in document.tables[-1].rows[1:]}
    assert rows == {"c-ccap": "CCAP, art. 1", "c-cctp": "CCTP, art. 1", "c-aapc": "AAPC, art. 1",
                    base[2].id: "RC, art. 1", "c-rc": "RC, art. 2"}


def test_an_annex_without_any_clause_says_so_once(tmp_path: Path):
    document = build_annex(annex_input(3, clauses=[]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.count("Aucune clause") == 1 and "exportez de nouveau" in body
    assert not any("Annexe au CCAP" in p.text for p in document.paragraphs if p.style.name == "Heading 1")
