"""Word files Word opens without repair: validator, styles of any model, macros and remote
content dropped, properties, compatibility mode, TOC page numbers, unbreakable references."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from achatsdesk.documents.docx_annex import write_annex
from achatsdesk.documents.model import RenderedClause
from tests.conftest import docx_errors, written_by_achatsdesk
from tests.documents.samples import annex_input, requires_office

VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
EXTERNAL_TEMPLATE = "file:///serveur/modeles/Normal-organisation.dotm"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def _rewrite(source: bytes, path: Path, change) -> Path:
    """A copy of a package with some parts changed by ``change(parts)`` (made-up models)."""
    with zipfile.ZipFile(io.BytesIO(source)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _base_model() -> bytes:
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Organisation d'exemple (modèle inventé)"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _macro_template(path: Path) -> Path:
    """A .dotm: macro-enabled main content type, a vbaProject.bin and its relationship."""
    def change(parts):
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
        ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 fausse macro de test"
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", f'<Relationship Id="rIdVba" Type="{VBA_REL}" Target="vbaProject.bin"/></Relationships>'.encode())
    return _rewrite(_base_model(), path, change)


def _remote_template(path: Path) -> Path:
    """A model with an attached template on a server, a frameset, an external link in the header."""
    def change(parts):
        parts["word/_rels/settings.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            f'Target="{EXTERNAL_TEMPLATE}" TargetMode="External"/></Relationships>'
        ).encode()
        parts["word/settings.xml"] = re.sub(
            rb"(<w:defaultTabStop )", b'<w:attachedTemplate r:id="rIdT"/>\\1', parts["word/settings.xml"], count=1)
        header = parts["word/header1.xml"].decode()
        header = re.sub(r"(<w:r>.*?</w:r>)", r'<w:hyperlink r:id="rIdLink">\1</w:hyperlink>', header, count=1, flags=re.S)
        if 'xmlns:r=' not in header.split(">", 2)[1]:
            header = header.replace("<w:hdr ", '<w:hdr xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
        parts["word/header1.xml"] = header.encode()
        parts["word/_rels/header1.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            b'Target="https://exemple.invalid/suivi" TargetMode="External"/></Relationships>'
        )
    return _rewrite(_base_model(), path, change)


def _embedding_template(path: Path) -> Path:
    """A model with an OLE object in its header and a frameset pointing at another file."""
    def change(parts):
        header = parts["word/header1.xml"].decode()
        obj = ('<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Embed" '
               'ProgID="Excel.Sheet.12" ObjectID="_1" r:id="rIdOle"/></w:object></w:r>')
        header = header.replace("</w:p>", obj + "</w:p>", 1)
        if 'xmlns:r=' not in header.split(">", 2)[1]:
            header = header.replace("<w:hdr ", '<w:hdr xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
        parts["word/header1.xml"] = header.encode()
        parts["word/_rels/header1.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdOle" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" '
            b'Target="embeddings/classeur.xlsx"/></Relationships>')
        parts["word/embeddings/classeur.xlsx"] = b"PK fausse feuille de calcul de test"
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/></Types>')
        parts["word/_rels/webSettings.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/frame" '
            b'Target="file:///serveur/cadre.docx" TargetMode="External"/></Relationships>')
        parts["word/webSettings.xml"] = parts["word/webSettings.xml"].replace(
            b"</w:webSettings>", b'<w:frameset><w:frame><w:sourceFileName r:id="rIdF"/></w:frame></w:frameset></w:webSettings>')
        if b"xmlns:r=" not in parts["word/webSettings.xml"]:
            parts["word/webSettings.xml"] = parts["word/webSettings.xml"].replace(
                b"<w:webSettings ", b'<w:webSettings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    return _rewrite(_base_model(), path, change)


def test_embedded_objects_and_frames_of_a_model_are_dropped_and_reported(tmp_path: Path):
    model = _embedding_template(tmp_path / "modele.docx")
    assert "word/embeddings/classeur.xlsx" in _parts(model)
    dropped: list[str] = []
    out = write_annex(annex_input(2), tmp_path / "annexe.docx", template=model, dropped=dropped)
    parts = _parts(out)
    assert not any(name.startswith("word/embeddings/") for name in parts)
    assert b"OLEObject" not in parts["word/header1.xml"] and b"frameset" not in parts["word/webSettings.xml"]
    assert "les objets incorporés" in dropped and "les cadres (frames)" in dropped
    assert docx_errors(out) == []


def _libreoffice_like_model(path: Path) -> Path:
    """What LibreOffice writes: styles named "Heading 1" (Word writes "heading 1"), same ids."""
    document = Document()
    for style in document.styles.element.style_lst:
        name = style.name_val or ""
        if re.fullmatch(r"heading \d", name):
            style.name_val = name.capitalize()
    heading = next(s for s in document.styles.element.style_lst if s.styleId == "Heading1")
    fonts = heading.get_or_add_rPr().get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), "Georgia")
    fonts.set(qn("w:hAnsi"), "Georgia")
    document.save(str(path))
    return path


def _style_ids(path: Path) -> list[str]:
    return re.findall(rb'<w:style [^>]*w:styleId="([^"]+)"', _parts(path)["word/styles.xml"])


def test_the_annex_passes_the_open_xml_validator_and_is_marked_as_ours(tmp_path: Path):
    out = write_annex(annex_input(6), tmp_path / "annexe.docx")
    assert written_by_achatsdesk(out)  # so that the suite-wide check validates it too
    assert docx_errors(out) == []


def test_the_validator_does_catch_what_word_repairs(tmp_path: Path):
    """The check can fail: a duplicated style id, as a LibreOffice model used to give."""
    out = write_annex(annex_input(2), tmp_path / "annexe.docx")
    def duplicate_heading(parts):
        styles = parts["word/styles.xml"]
        heading = re.search(rb'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
        parts["word/styles.xml"] = styles.replace(b"</w:styles>", heading + b"</w:styles>")
        parts["word/settings.xml"] = parts["word/settings.xml"].replace(b"<w:updateFields", b"<w:updateFieldz")
    broken = _rewrite(out.read_bytes(), tmp_path / "abime.bin", duplicate_heading)
    assert docx_errors(broken)


def test_a_libreoffice_model_keeps_its_heading_style_once(tmp_path: Path):
    model = _libreoffice_like_model(tmp_path / "modele-lo.docx")
    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=model)
    ids = _style_ids(out)
    assert len(ids) == len(set(ids)), "duplicate style ids"
    document = Document(str(out))
    articles = [p for p in document.paragraphs if p.text.startswith("Annexe au CCAP") and not p.style.name.startswith("TOC")]
    assert articles and articles[0].style.style_id == "Heading1"
    assert articles[0].style.font.name == "Georgia"  # the organisation's heading look is kept


@requires_office
def test_a_model_saved_by_libreoffice_itself(tmp_path: Path):
    html = tmp_path / "modele.html"
    html.write_text("<html><body><h1>Article 1 - Objet</h1><p>Texte du modèle.</p><h2>Sous-titre</h2></body></html>",
                    encoding="utf-8")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(html)],
                   check=True, capture_output=True, timeout=120)
    model = tmp_path / "modele.docx"
    assert b'w:styleId="Heading1"' in _parts(model)["word/styles.xml"]
    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=model)
    ids = _style_ids(out)
    assert ids.count(b"Heading1") == 1 and ids.count(b"Heading2") == 1
    document = Document(str(out))
    assert any(p.style.style_id == "Heading2" and p.text.startswith("Article 1") for p in document.paragraphs)


def test_a_macro_template_gives_a_docx_without_macros_and_says_so(tmp_path: Path):
    model = _macro_template(tmp_path / "modele.dotm")
    dropped: list[str] = []
    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=model, dropped=dropped)
    parts = _parts(out)
    assert not any("vbaProject" in name for name in parts)
    assert not any(b"vbaProject" in data for name, data in parts.items() if name.endswith((".rels", ".xml")))
    assert b"macroEnabled" not in parts["[Content_Types].xml"]
    assert b"wordprocessingml.document.main+xml" in parts["[Content_Types].xml"]
    assert any("macros" in note for note in dropped)


def test_remote_content_of_a_model_is_dropped_and_reported(tmp_path: Path):
    model = _remote_template(tmp_path / "modele.docx")
    assert b"attachedTemplate" in _parts(model)["word/settings.xml"]
    dropped: list[str] = []
    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=model, dropped=dropped)
    parts = _parts(out)
    everything = b"".join(parts.values())
    assert b'TargetMode="External"' not in everything and b"attachedTemplate" not in everything
    assert not any(name.startswith("customXml/") for name in parts)
    assert "le modèle attaché" in dropped and any("externes" in note for note in dropped)
    assert any("XML personnalisées" in note for note in dropped)  # python-docx's model carries one
    header = "\n".join(p.text for p in Document(str(out)).sections[0].header.paragraphs)
    assert "Organisation d'exemple" in header  # the hyperlink went, its text stayed
    assert docx_errors(out) == []


def test_the_export_tells_the_buyer_what_the_model_lost(tmp_path: Path):
    from achatsdesk.services.exports import export_annex

    example = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"
    warnings: list[str] = []
    export_annex(example, tmp_path / "annexe.docx", template=_macro_template(tmp_path / "m.dotm"), warn=warnings.append)
    assert any("macros" in w and "n'ont pas été repris" in w for w in warnings)


def test_properties_compatibility_and_fields(tmp_path: Path):
    out = write_annex(annex_input(4), tmp_path / "annexe.docx")
    document = Document(str(out))
    core = document.core_properties
    assert core.author == "achatsdesk" and core.created.date() == date.today() and core.modified.date() == date.today()
    assert core.title.endswith("Dossier d'exemple") and core.subject.startswith("Dossier d'exemple")
    parts = _parts(out)
    assert b"<Application>achatsdesk</Application>" in parts["docProps/app.xml"]
    settings = parts["word/settings.xml"]
    assert re.search(rb'w:name="compatibilityMode"[^>]*w:val="15"', settings)
    assert b'<w:updateFields w:val="true"/>' in settings
    instructions = " ".join(t.text for t in document.element.body.iter(qn("w:instrText")))
    assert "TOC" in instructions and "\\n" not in instructions  # \n would hide the page numbers
    assert instructions.count("PAGEREF _Toc") == len([p for p in document.paragraphs if p.style.name.startswith("Heading")])


def test_references_and_numbers_do_not_break(tmp_path: Path):
    clause = RenderedClause("x", "1", "Lot réservé", "Le lot n° 1 est réservé (art. L2113-13).")
    out = write_annex(annex_input(1, clauses=[clause]), tmp_path / "annexe.docx")
    body = Document(str(out)).element.body
    paragraph = next(p for p in body.iter(qn("w:p")) if "est réservé" in "".join(t.text or "" for t in p.iter(qn("w:t"))))
    text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
    assert "n°\u00a01" in text and "art.\u00a0L2113" in text
    assert paragraph.find(".//" + qn("w:noBreakHyphen")) is not None and "\u2011" not in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_still_renders_the_cleaned_annex(tmp_path: Path):
    from tests.documents.samples import docx_to_pdf, pdf_text

    out = write_annex(annex_input(3), tmp_path / "annexe.docx", template=_remote_template(tmp_path / "m.docx"))
    text = pdf_text(docx_to_pdf(out, tmp_path))
    assert "Article 1" in text and "L2112-1" in text.replace("\u2011", "-")


def test_numbering_per_part_or_across_the_document(tmp_path: Path):
    from dataclasses import replace

    from achatsdesk.documents.model import numbered_articles

    base = annex_input(4).clauses
    mixed = [replace(base[0], id="a", document="CCAP"), replace(base[1], id="b", document="CCAP"),
             replace(base[0], id="c", document="CCTP", kind="spécification technique"), base[2]]
    for numbering, expected in (("part", ["CCAP, art. 1", "CCAP, art. 2", "CCTP, art. 1", "RC, art. 1"]),
                                ("document", ["CCAP, art. 1", "CCAP, art. 2", "CCTP, art. 3", "RC, art. 4"])):
        data = annex_input(4, clauses=mixed, numbering=numbering)
        assert [label for label, _ in data.articles()] == expected
        assert [label for label, _ in numbered_articles(mixed, numbering)] == expected
        document = Document(str(write_annex(data, tmp_path / f"annexe-{numbering}.docx")))
        headings = [p.text.split(" –")[0] for p in document.paragraphs if p.style.name == "Heading 2"]
        assert headings == [f"Article {label.split('art. ')[1]}" for label in expected]
        trace = next(t for t in document.tables if t.rows[0].cells[0].text == "Article")
        assert [row.cells[0].text for row in trace.rows[1:]] == expected
