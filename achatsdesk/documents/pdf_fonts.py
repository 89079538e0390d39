"""The PDF's font: DejaVu Sans, for French glyphs, narrow no-break spaces and check-box symbols.

A copy ships in resources/fonts (free licence, beside it) so that Windows,
offline, renders exactly like Linux; a system copy is used otherwise.
Registered once per process: parsing a TrueType file costs tens of ms.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from achatsdesk.paths import resources_dir

FAMILY = "DejaVuSans"
_FILES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
}
_SYSTEM_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("C:/Windows/Fonts"),
)
_lock = threading.Lock()
_registered: str | None = None


def _find(file_name: str) -> Path | None:
    for folder in (resources_dir() / "fonts", *_SYSTEM_FOLDERS):
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    return None


def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, italic) and return the family name to use.

    Falls back to Helvetica (no check-box glyphs) only if no DejaVu file exists at all.
    """
    global _registered
    with _lock:
        if _registered:
            return _registered
        found = {name: _find(file_name) for name, file_name in _FILES.items()}
        regular = found["DejaVuSans"]
        if regular is None:
            _registered = "Helvetica"
            return _registered
        for name, path in found.items():
            pdfmetrics.registerFont(TTFont(name, str(path or regular)))
        addMapping(FAMILY, 0, 0, "DejaVuSans")
        addMapping(FAMILY, 1, 0, "DejaVuSans-Bold")
        addMapping(FAMILY, 0, 1, "DejaVuSans-Oblique")
        addMapping(FAMILY, 1, 1, "DejaVuSans-Bold")
        _registered = FAMILY
        return _registered


def bold_of(family: str) -> str:
    return "DejaVuSans-Bold" if family == FAMILY else "Helvetica-Bold"
