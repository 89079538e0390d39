"""Page furniture and paragraph styles of the PDF report.

"Page X sur Y" needs the page count before the last page is drawn: the canvas
keeps each page's state and draws header and footer when the document is saved.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from achatsdesk.documents.pdf_fonts import bold_of

INK = colors.HexColor("#1F3864")
GREY = colors.HexColor("#595959")
RULE = colors.HexColor("#BFBFBF")
HEAD_FILL = colors.HexColor("#DCE3EE")
LABEL_FILL = colors.HexColor("#F2F2F2")
MARGIN = 2 * cm
PAGE_WIDTH, PAGE_HEIGHT = A4
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

STATUS_COLOURS = {
    "obligatoire": colors.HexColor("#A61B1B"),
    "recommande": colors.HexColor("#8A5A00"),
    "a_envisager": colors.HexColor("#1F5F8B"),
    "information": GREY,
}


class Styles:
    def __init__(self, family: str) -> None:
        bold = bold_of(family)
        self.body = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10, textColor=GREY)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=11)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.kicker = ParagraphStyle("kicker", parent=self.body, fontName=bold, fontSize=9, textColor=GREY, spaceAfter=4)
        self.title = ParagraphStyle("title", parent=self.body, fontName=bold, fontSize=20, leading=24, textColor=INK, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=11, leading=14, textColor=GREY, spaceAfter=14)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=13, leading=16, textColor=INK, spaceBefore=14, spaceAfter=6)
        self.clause_body = ParagraphStyle("clause_body", parent=self.body, fontSize=9, leading=12, spaceAfter=3)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=10.5, leading=13, textColor=INK, spaceBefore=8, spaceAfter=4)


def numbered_canvas(family: str, header_left: str, header_right: str, footer_left: str):
    """A canvas class drawing the header, a rule and "Page X sur Y" on every page."""
    bold = bold_of(family)

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            # The canvas starts in Helvetica, a base-14 font a PDF never embeds: start in ours.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or family
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            top = PAGE_HEIGHT - 1.2 * cm
            self.setFillColor(GREY)
            self.setFont(bold, 8)
            self.drawString(MARGIN, top, _fit(self, header_left, bold, 8, FRAME_WIDTH * 0.6))
            self.setFont(family, 8)
            self.drawRightString(PAGE_WIDTH - MARGIN, top, _fit(self, header_right, family, 8, FRAME_WIDTH * 0.38))
            self.setStrokeColor(INK)
            self.setLineWidth(0.6)
            self.line(MARGIN, top - 5, PAGE_WIDTH - MARGIN, top - 5)
            bottom = 1.1 * cm
            self.setStrokeColor(RULE)
            self.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
            self.drawString(MARGIN, bottom, footer_left)
            self.drawRightString(PAGE_WIDTH - MARGIN, bottom, f"Page {self._pageNumber} sur {total}")

    return NumberedCanvas


def _fit(canv, text: str, font: str, size: float, width: float) -> str:
    """Shorten a header text with an ellipsis so it never runs into its neighbour."""
    if canv.stringWidth(text, font, size) <= width:
        return text
    while text and canv.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
