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
