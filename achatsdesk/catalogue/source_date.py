"""The date of an imported list's data: read from the file's name when it says it
("liste-siae-2019-06.csv", "geiq_2024.xlsx"), asked otherwise, never today's date silently.

A copied or downloaded file carries today's modification date: using it re-dated a 2019
list to today. The import dialog shows the date found here, says where it comes from,
and the buyer confirms or corrects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_FULL = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.]((?:19|20)\d\d)(?!\d)")
_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.](0[1-9]|1[0-2])(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class SourceDate:
    value: str  # ISO: "2019-06-01"
    origin: str  # "nom du fichier" or "date de modification du fichier (à vérifier)"


def date_in_name(name: str) -> str | None:
    """An ISO date read from a file name; a year alone gives its 1st of January, a month its 1st."""
    for pattern, build in ((_FULL, lambda m: (m[1], m[2], m[3])), (_DAY_FIRST, lambda m: (m[3], m[2], m[1])),
                           (_MONTH, lambda m: (m[1], m[2], "01")), (_YEAR, lambda m: (m[1], "01", "01"))):
        found = pattern.search(name)
        if found:
            year, month, day = build(found)
            try:
                return date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                continue
    return None


def suggested_source_date(path: Path, today: date | None = None) -> SourceDate:
    """What the import dialog proposes; the file's modification date only as a last resort, marked so."""
    path = Path(path)
    found = date_in_name(path.stem)
    if found and found <= (today or date.today()).isoformat():
        return SourceDate(found, "nom du fichier")
    modified = date.fromtimestamp(path.stat().st_mtime).isoformat()
    return SourceDate(modified, "date de modification du fichier, à vérifier : un fichier copié a la date de la copie")


def parse_source_date(text: str) -> str:
    """The date the buyer typed (JJ/MM/AAAA, MM/AAAA or AAAA) as ISO; ValueError with a French message."""
    value = text.strip()
    for pattern, build in ((r"^(\d{1,2})/(\d{1,2})/(\d{4})$", lambda m: (m[3], m[2], m[1])),
                           (r"^(\d{4})-(\d{2})-(\d{2})$", lambda m: (m[1], m[2], m[3])),
                           (r"^(\d{1,2})/(\d{4})$", lambda m: (m[2], m[1], "1")),
                           (r"^(\d{4})$", lambda m: (m[1], "1", "1"))):
        found = re.match(pattern, value)
        if found:
            year, month, day = build(found)
            try:
                parsed = date(int(year), int(month), int(day))
            except ValueError:
                break
            if parsed > date.today():
                raise ValueError(f"La date des données ({value}) est dans le futur : indiquez la date de la liste.")
            return parsed.isoformat()
    raise ValueError(f"« {value} » n'est pas une date : indiquez la date des données, par exemple 01/06/2019 ou 2019.")
