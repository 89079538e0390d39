"""Read a purchase programme: one spreadsheet line per planned purchase (XLSX, ODS or CSV).

Columns are recognised by their usual French headings ("Objet", "Code CPV",
"Montant estimé HT", "Trimestre de lancement", …). When a file's headings are
not the usual ones, the buyer maps them once (the same assistant as the
catalogue import) and the mapping is remembered for that layout: the key is
the folded list of headings, so next year's file with the same columns opens
without asking again.

CSV and XLSX go through the catalogue's reader (encoding and separator sniffed,
XLSX streamed); ODS through odfpy, a small pure-Python library (pandas' ODF
reader would pull pandas in for one format).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from achatsdesk.catalogue.sniff import iter_table
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.text import fold
from achatsdesk.errors import InputFileError
from achatsdesk.paths import app_paths

MAPPINGS_FILE = "programme_mappings.json"

# Field -> French label shown in the mapping step.
FIELDS: dict[str, str] = {
    "title": "Objet de l'achat",
    "cpv": "Code CPV (ou libellé)",
    "amount": "Montant estimé HT",
    "nature": "Nature (travaux, fournitures, services)",
    "launch": "Date ou trimestre de lancement",
    "place": "Lieu d'exécution (commune ou code INSEE)",
    "lots": "Lots",
    "service": "Service",
    "duration": "Durée (mois)",
    "reference": "Référence",
}
REQUIRED_FIELDS = ("title", "amount", "launch")

# Folded spellings of the usual headings, per field (first match wins).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("objet", "objet de l achat", "objet du marche", "intitule", "intitule du marche", "libelle",
              "designation", "besoin", "achat"),
    "cpv": ("cpv", "code cpv", "codes cpv", "cpv principal", "famille cpv", "nomenclature", "famille d achat"),
    "amount": ("montant", "montant estime", "montant estime ht", "montant ht", "montant previsionnel",
               "montant previsionnel ht", "estimation", "estimation ht", "budget", "budget ht", "montant total ht",
               "montant estime ht eur", "montant ht eur"),
    "nature": ("nature", "type", "type de marche", "nature du marche", "categorie", "nature de l achat"),
    "launch": ("date de lancement", "lancement", "date previsionnelle", "date prevue", "trimestre",
               "trimestre de lancement", "periode", "periode de lancement", "date de lancement prevue", "date"),
    "place": ("lieu", "lieu d execution", "commune", "code insee", "lieu principal d execution", "site"),
    "lots": ("lots", "lot", "allotissement", "nombre de lots", "nb lots"),
    "service": ("service", "direction", "service prescripteur", "service acheteur", "pole", "direction prescriptrice"),
    "duration": ("duree", "duree mois", "duree en mois", "duree du marche", "duree du marche mois"),
    "reference": ("reference", "ref", "n", "numero", "n de ligne", "identifiant"),
}


def header_key(header: str) -> str:
    text = fold(header).replace("_", " ").replace("-", " ").replace("°", " ").replace("'", " ").replace("’", " ")
    for char in "()[]:.€/":
        text = text.replace(char, " ")
    return " ".join(text.split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header for every field a usual heading names."""
    mapping: dict[str, str] = {}
    keyed: dict[str, str] = {}
    for header in headers:
        if header.strip():
            keyed.setdefault(header_key(header), header)
    for name, spellings in _SYNONYMS.items():
        for spelling in spellings:
            header = keyed.get(spelling)
            if header is not None and header not in mapping.values():
                mapping[name] = header
                break
    return mapping


def missing_fields(mapping: dict[str, str]) -> list[str]:
    return [name for name in REQUIRED_FIELDS if not mapping.get(name)]


# --- the remembered mappings ------------------------------------------------------


def layout_key(headers: list[str]) -> str:
    """The identity of a file layout: its folded headings, in order."""
    joined = "\x1f".join(header_key(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def _mappings_path() -> Path:
    return app_paths().config / MAPPINGS_FILE


def _read_mappings() -> dict[str, dict[str, str]]:
    path = _mappings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # a damaged memory only means asking again, never a failure
    return data if isinstance(data, dict) else {}


def remembered_mapping(headers: list[str]) -> dict[str, str] | None:
    saved = _read_mappings().get(layout_key(headers))
    if not isinstance(saved, dict):
        return None
    known = set(headers)
    return {str(k): str(v) for k, v in saved.items() if k in FIELDS and v in known}


def remember_mapping(headers: list[str], mapping: dict[str, str]) -> None:
    """Keep the buyer's mapping for files with these headings (written whole, then renamed)."""
    data = _read_mappings()
    data[layout_key(headers)] = {k: v for k, v in mapping.items() if k in FIELDS and v}
    path = _mappings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partiel")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(path)


# --- reading the table -------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    line: int  # the line number the buyer sees in the spreadsheet
    cells: dict[str, str]  # field -> text as in the file


@dataclass
class ProgrammeTable:
    path: Path
    description: str  # "classeur XLSX", "UTF-8, séparateur point-virgule", "classeur ODS"
    headers: list[str]
    mapping: dict[str, str]
    mapping_origin: str  # "reconnue" (usual headings) | "mémorisée" | "saisie"
    raw_rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return missing_fields(self.mapping)

    def rows(self) -> list[SheetRow]:
        index = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        columns = {name: index[header] for name, header in self.mapping.items() if header in index}
        result = []
        for line, cells in self.raw_rows:
            values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
            result.append(SheetRow(line, values))
        return result


def _iter_ods_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) of the first sheet of an ODS file, through odfpy."""
    try:
        from odf.namespaces import TABLENS
        from odf.opendocument import load
        from odf.table import Table, TableRow
    except ImportError as exc:  # pragma: no cover - odfpy is a declared dependency
        raise InputFileError("La lecture des fichiers ODS n'est pas disponible.",
                             hint="Enregistrez le tableau au format XLSX ou CSV.") from exc
    try:
        document = load(str(path))
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same story for the user
        raise InputFileError(f"Le fichier « {path.name} » n'est pas un classeur ODS lisible.",
                             hint="Ouvrez-le dans votre tableur et enregistrez-le en ODS, XLSX ou CSV.") from exc
    tables = document.spreadsheet.getElementsByType(Table)
    if not tables:
        return
    repeat_attr = (TABLENS, "number-columns-repeated")
    rows_attr = (TABLENS, "number-rows-repeated")
    line = 0
    for row in tables[0].getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.attributes.get(repeat_attr) or 1)
            text = _ods_cell_text(cell)
            # A trailing run of empty repeated cells is only the sheet's width.
            cells.extend([text] * (repeat if text or repeat < 64 else 1))
        while cells and not cells[-1]:
            cells.pop()
        repeated = int(row.attributes.get(rows_attr) or 1)
        for _ in range(repeated if cells else 1):
            line += 1
            yield line, list(cells)


def _ods_cell_text(cell) -> str:
    from odf.namespaces import OFFICENS

    value_type = cell.attributes.get((OFFICENS, "value-type"))
    if value_type in ("float", "currency", "percentage"):
        value = cell.attributes.get((OFFICENS, "value"))
        if value is not None:
            return str(value)
    if value_type == "date":
        value = cell.attributes.get((OFFICENS, "date-value"))
        if value:
            return str(value)[:10]
    parts = []
    for paragraph in cell.childNodes:
        if paragraph.qname[1] == "p":
            parts.append(_node_text(paragraph))
    return "\n".join(parts).strip()


def _node_text(node) -> str:
    if node.nodeType == node.TEXT_NODE:
        return str(node.data)
    if node.qname[1] == "s":  # <text:s text:c="3"/>: spaces
        from odf.namespaces import TEXTNS

        return " " * int(node.attributes.get((TEXTNS, "c")) or 1)
    return "".join(_node_text(child) for child in node.childNodes)


def _is_ods(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04" and path.suffix.lower() in (".ods", ".fods")


def iter_programme_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], str]:
    if not path.is_file():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    if _is_ods(path):
        return _iter_ods_rows(path), "classeur ODS"
    return iter_table(path)


# A programme is a yearly list, not a catalogue: this bound keeps a wrong file from filling memory.
MAX_LINES = 50_000


# A programme often opens with a title line or two above its headings.
HEADER_SEARCH_ROWS = 10


def _is_heading_row(cells: list[str]) -> bool:
    headers = [c.strip() for c in cells]
    return len(guess_mapping(headers)) >= 2 or remembered_mapping(headers) is not None


def read_table(path: Path, mapping: dict[str, str] | None = None) -> ProgrammeTable:
    """The headings, the mapping (given, remembered, or recognised) and every non-empty line.

    The headings are the first of the first rows that names at least two usual columns
    (title lines above them are skipped), else the first non-empty row."""
    rows, description = iter_programme_rows(path)
    leading: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    raw: list[tuple[int, list[str]]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            leading.append((line, cells))
            if _is_heading_row(cells):
                headers = [c.strip() for c in cells]
            elif len(leading) >= HEADER_SEARCH_ROWS:
                headers = [c.strip() for c in leading[0][1]]
                raw.extend(leading[1:])
            continue
        raw.append((line, ["" if c is None else str(c) for c in cells]))
        if len(raw) > MAX_LINES:
            raise InputFileError(
                f"Le fichier « {path.name} » a plus de {format_number(MAX_LINES)} lignes : ce n'est sans doute "
                "pas un programme d'achats.",
                hint="Vérifiez le fichier choisi, ou découpez le programme par service.",
            )
    if headers is None and leading:  # fewer rows than the search: the first one heads the table
        headers = [c.strip() for c in leading[0][1]]
        raw = leading[1:]
    if headers is None:
        raise InputFileError(f"Le fichier « {path.name} » ne contient aucune ligne.",
                             hint="Choisissez le tableau du programme d'achats (une ligne par achat prévu).")
    if mapping is not None:
        origin, chosen = "saisie", dict(mapping)
    else:
        remembered = remembered_mapping(headers)
        origin, chosen = ("mémorisée", remembered) if remembered else ("reconnue", guess_mapping(headers))
    return ProgrammeTable(path, description, headers, chosen, origin, raw)
