"""The look shared by achatsdesk's spreadsheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill


def style_header_row(sheet) -> None:
    """The house header of achatsdesk's spreadsheets: white bold on dark blue, kept in view."""
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F3864")
    for cell in sheet[1]:
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"


def print_setup(sheet, *, title: str, landscape: bool = True) -> None:
    """Printable as it is: landscape, every column on one page wide (as many pages tall as
    needed), the header row repeated, the title and page number in the page header/footer."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # without it Excel ignores fitToWidth
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    header = title.replace("&", "&&")[:200]  # "&" starts a code in Excel's header syntax
    sheet.oddHeader.center.text = header
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.right.text = "Page &P sur &N"
    sheet.oddFooter.left.text = "achatsdesk – &D"
