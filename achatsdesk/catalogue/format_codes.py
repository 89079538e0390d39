"""The codes of the file formats a user may name when importing suppliers (``--format``).

Kept apart from formats.py, which holds the converters, so that the command line can list
the choices without loading the readers at every start.
"""

from __future__ import annotations

# "lemarche" covers both of its layouts (the structures file and a search export).
PUBLIC_FORMATS = ("auto", "asp-siae", "geiq", "finess-esat", "lemarche", "sirene", "csv")
