"""The annex's look: our own sober house style, or the organisation's template as it is."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import StyleFactory

from achatsdesk.documents.docx_xml import outline_level, set_font

HOUSE_FONT = "Arial"  # on every Windows; LibreOffice maps it to the metric-compatible Liberation Sans
INK = RGBColor(0x1F, 0x38, 0x64)  # dark administrative blue
GREY = RGBColor(0x59, 0x59, 0x59)


class AnnexStyles:
    """The styles the writer uses, looked up once (python-docx searches by name each time)."""

    def __init__(self, document: DocumentObject, *, house_style: bool) -> None:
        self.document = document
        if house_style:
            apply_house_style(document)
        self.normal = self._get("Normal")
        self.title = self._get("Title", base_on="Normal", size=20, bold=True)
        self.subtitle = self._get("Subtitle", base_on="Normal", size=13)
        self.heading1 = self._get("Heading 1", base_on="Normal", size=14, bold=True, outline=0)
        self.heading2 = self._get("Heading 2", base_on="Normal", size=11.5, bold=True, outline=1)
        self.bullet = self._get("List Bullet", base_on="Normal")
        self.header = self._get("Header", base_on="Normal")
        self.footer = self._get("Footer", base_on="Normal")
        self.toc1 = self._get("TOC 1", base_on="Normal", bold=True)
        self.toc2 = self._get("TOC 2", base_on="Normal", indent=0.6)
        self.toc_heading = self._get("TOC Heading", base_on="Normal", size=13, bold=True)

    def _get(self, name, *, base_on=None, size=None, bold=False, outline=None, indent=None):
        styles = self.document.styles
        existing = find_style(self.document, name)
        if existing is not None:
            return existing
        # The template does not define it: create a plain one so Word still sees a heading.
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.attrib.pop(qn("w:customStyle"), None)  # Word's own built-in, so its TOC and navigation know it
        if base_on:
            style.base_style = styles[base_on]
        if size:
            style.font.size = Pt(size)
        style.font.bold = bold or None
        if indent:
            style.paragraph_format.left_indent = Cm(indent)
        if outline is not None:
            outline_level(style.element.get_or_add_pPr(), outline)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.space_after = Pt(6)
        return style


def find_style(document: DocumentObject, name: str):
    """The template's style for ``name`` ("Heading 1"), matched as Word does: by name in any
    case ("heading 1" from Word, "Heading 1" from LibreOffice) or by its id ("Heading1").

    python-docx's own lookup knows only Word's lower-case spelling: on a LibreOffice model
    it missed the heading and added a second style with the same id, which Word repairs."""
    wanted = name.casefold()
    wanted_id = name.replace(" ", "").casefold()
    by_id = None
    for style in document.styles.element.style_lst:
        style_name = style.name_val or ""
        if style_name.casefold() == wanted:
            return StyleFactory(style)
        if (style.styleId or "").casefold() == wanted_id and by_id is None:
            by_id = style
    return StyleFactory(by_id) if by_id is not None else None


def apply_house_style(document: DocumentObject) -> None:
    """A4, 2,5 cm margins, Arial, dark blue headings: what a French administration prints."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.1)
    styles = document.styles
    normal = styles["Normal"]
    set_font(normal, HOUSE_FONT)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, color, before, after in (
        ("Title", 22, INK, 0, 6),
        ("Subtitle", 13, GREY, 0, 18),
        ("Heading 1", 15, INK, 0, 12),
        ("Heading 2", 11.5, INK, 12, 4),
        ("TOC Heading", 13, INK, 18, 6),
    ):
        style = styles[name]
        set_font(style, HOUSE_FONT)
        style.font.size = Pt(size)
        style.font.color.rgb = color
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    title_pr = styles["Title"].element.get_or_add_pPr()
    border = title_pr.find(qn("w:pBdr"))
    if border is not None:  # the default template draws a blue rule under the title; ours is in the text
        title_pr.remove(border)
    styles["Title"].font.bold = True
    styles["Subtitle"].font.italic = False
    for name in ("Header", "Footer"):
        set_font(styles[name], HOUSE_FONT)
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = GREY
        styles[name].paragraph_format.tab_stops.clear_all()  # Letter-sized stops of the default template
    styles["List Bullet"].paragraph_format.space_after = Pt(3)
    normal_pr = normal.paragraph_format
    normal_pr.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in ("Heading 1", "Heading 2", "Title", "Subtitle", "Header", "Footer", "TOC Heading"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _set_language(document, "fr-FR")


def _set_language(document: DocumentObject, tag: str) -> None:
    """French spell-checking and hyphenation in Word and LibreOffice."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if r_pr is None:
        return
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
