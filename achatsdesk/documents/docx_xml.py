"""Low-level WordprocessingML helpers python-docx does not offer: fields, bookmarks,
borders, fonts without theme overrides, a .dotx opened as a document."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from achatsdesk.errors import InputFileError

_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_TEMPLATE_TYPE = b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml"


def open_template(path: str | Path) -> DocumentObject:
    """The organisation's .docx or .dotx as a python-docx Document.

    python-docx only opens the "document" content type: a .dotx (or .dotm) is
    the same package with another main content type, patched here in memory.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputFileError(
            f"Le modèle « {source.name} » n'est pas un document Word lisible (.docx ou .dotx).",
            hint="Choisissez le modèle de votre organisation enregistré au format Word (.docx ou .dotx).",
            detail=repr(exc),
        ) from exc
    types = parts.get("[Content_Types].xml", b"")
    if _TEMPLATE_TYPE in types or _MACRO_TEMPLATE_TYPE in types:
        parts["[Content_Types].xml"] = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE).replace(
            _MACRO_TEMPLATE_TYPE, _DOCUMENT_TYPE
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            for name, content in parts.items():
                package.writestr(name, content)
        buffer.seek(0)
        stream = buffer
    else:
        stream = io.BytesIO(data)
    try:
        return Document(stream)
    except Exception as exc:  # python-docx raises several kinds on a foreign package
        raise InputFileError(
            f"Le modèle « {source.name} » n'a pas pu être ouvert comme document Word.",
            hint="Ouvrez-le dans Word, enregistrez-le au format .docx ou .dotx, puis réessayez.",
            detail=repr(exc),
        ) from exc


def clear_body(document: DocumentObject) -> None:
    """Remove the template's sample content, keeping the section (margins, header, footer)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _run(paragraph_element, child) -> None:
    run = OxmlElement("w:r")
    run.append(child)
    paragraph_element.append(run)


def _fld_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _instr(code: str):
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {code} "
    return element


def _text(value: str):
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = value
    return element


def add_field(paragraph: Paragraph, code: str, cached: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC ...) with its cached result: Word and
    LibreOffice compute it when laying out the page."""
    element = paragraph._p
    _run(element, _fld_char("begin"))
    _run(element, _instr(code))
    _run(element, _fld_char("separate"))
    _run(element, _text(cached))
    _run(element, _fld_char("end"))


def begin_field(paragraph: Paragraph, code: str) -> None:
    _run(paragraph._p, _fld_char("begin"))
    _run(paragraph._p, _instr(code))
    _run(paragraph._p, _fld_char("separate"))


def end_field(paragraph: Paragraph) -> None:
    _run(paragraph._p, _fld_char("end"))


def add_internal_link(paragraph: Paragraph, anchor: str, text: str, *, page_field: bool = False) -> None:
    """A link to a bookmark; with ``page_field``, a tab and the bookmark's page (PAGEREF),
    as Word writes a table of contents entry."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    _run(link, _text(text))
    if page_field:
        _run(link, OxmlElement("w:tab"))
        _run(link, _fld_char("begin"))
        _run(link, _instr(f"PAGEREF {anchor} \\h"))
        _run(link, _fld_char("separate"))
        _run(link, _text(""))
        _run(link, _fld_char("end"))
    paragraph._p.append(link)


def bookmark(paragraph: Paragraph, bookmark_id: int, name: str) -> None:
    """Wrap the paragraph's content in a bookmark (the TOC links to it)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    p_pr = p.find(qn("w:pPr"))
    p.insert(0 if p_pr is None else 1, start)
    p.append(end)


def highlight(run, colour: str) -> None:
    """Word's highlighter on a run (python-docx has it only through an enum import)."""
    from docx.enum.text import WD_COLOR_INDEX

    run.font.highlight_color = getattr(WD_COLOR_INDEX, colour.upper())


def set_font(style, name: str) -> None:
    """Set a style's font for every script, dropping theme fonts that would override it."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_TC_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def outline_level(p_pr, level: int) -> None:
    """Mark a paragraph style as a heading level (Word's TOC and navigation pane read it)."""
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    p_pr.insert_element_before(element, *_AFTER_OUTLINE)


def paragraph_border(paragraph: Paragraph, side: str, color: str = "1F3864", size: int = 6) -> None:
    """A single line under (or over) a paragraph, e.g. below the page header.

    Elements go in schema order: Word refuses a document whose pPr children are out of order."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), color)
    borders.append(line)


def table_borders(table, color: str = "7F7F7F") -> None:
    """Thin borders on every cell, independent of the template's table styles."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), color)
        borders.append(line)
    tbl_pr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def shade_cell(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(shading, *_AFTER_TC_SHD)


def fill_row(tr, values) -> None:
    """Put one text in each cell of a table row holding one run per cell."""
    for node, value in zip(tr.iter(qn("w:t")), values, strict=True):
        node.text = value
        node.set(qn("xml:space"), "preserve")


def keep_row_whole(row) -> None:
    """The row never splits across two pages (Word's "cantSplit")."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # on by its presence ("true" is not a value of ST_OnOff)


def has_visible_content(part_element) -> bool:
    """True when a header/footer holds text or a picture (a logo)."""
    for node in part_element.iter():
        if node.tag in (qn("w:drawing"), qn("w:pict"), qn("w:object")):
            return True
        if node.tag == qn("w:t") and (node.text or "").strip():
            return True
    return False


def has_page_field(part_element) -> bool:
    for node in part_element.iter():
        if node.tag in (qn("w:instrText"),) and "PAGE" in (node.text or "").upper():
            return True
        if node.tag == qn("w:fldSimple") and "PAGE" in (node.get(qn("w:instr")) or "").upper():
            return True
    return False
