"""Open a user's CSV whatever its encoding and separator, without asking.

The encoding is read from a BOM, else the sample is tried as UTF-8, else
charset-normalizer decides (cp1252 / latin-1 files from Excel). The
separator is the one among ``;`` ``,`` tab that splits the header and the
first lines into the same number of columns.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from achatsdesk.errors import InputFileError

SAMPLE_BYTES = 256 * 1024
SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class CsvDialect:
    encoding: str
    separator: str


def _not_readable(path: Path, why: str) -> InputFileError:
    return InputFileError(
        f"Le fichier « {path.name} » n'est pas un tableau CSV lisible ({why}).",
        hint="Enregistrez-le au format CSV (séparateur ; ou ,) ou XLSX depuis votre tableur, puis réessayez.",
    )


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm")


def detect_encoding(path: Path, sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise _not_readable(path, "contenu binaire")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a character cut by the end of the sample
            return "utf-8"
    best = from_bytes(sample, cp_isolation=["cp1252", "latin_1", "utf_8"]).best()
    if best is None:
        raise _not_readable(path, "encodage inconnu")
    return "cp1252" if best.encoding in ("cp1252", "windows_1252", "latin_1", "iso8859_1") else best.encoding


def detect_separator(path: Path, text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        raise _not_readable(path, "fichier vide")
    best, best_score = None, 0
    for sep in SEPARATORS:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
        widths = [len(r) for r in rows]
        if widths[0] < 2:
            continue
        agreeing = sum(1 for w in widths if w == widths[0])
        score = agreeing * 1000 + widths[0]
        if score > best_score:
            best, best_score = sep, score
    if best is None:
        raise _not_readable(path, "aucun séparateur ; , ou tabulation trouvé")
    return best


def sniff(path: Path) -> CsvDialect:
    if not path.exists():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise _not_readable(path, "fichier vide")
    if sample.startswith(b"PK\x03\x04") or sample.startswith(b"%PDF") or sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise _not_readable(path, "c'est un fichier compressé, PDF ou Excel ancien")
    encoding = detect_encoding(path, sample)
    text = sample.decode(encoding, errors="replace")
    return CsvDialect(encoding, detect_separator(path, text))


def iter_csv_rows(path: Path, dialect: CsvDialect) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every physical row, header included, streamed."""
    with path.open(encoding=dialect.encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=dialect.separator)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except csv.Error as exc:
            raise _not_readable(path, f"ligne {reader.line_num} : {exc}") from exc


def iter_xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) of the first sheet, streamed (read-only mode)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same story for the user
        raise _not_readable(path, "classeur Excel illisible") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else str(v) for v in values]
    finally:
        workbook.close()


def iter_table(path: Path) -> tuple[Iterator[tuple[int, list[str]]], str]:
    """The rows of a CSV or XLSX file and a description ("UTF-8, séparateur ;")."""
    if not path.is_file():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    if is_xlsx(path):
        return iter_xlsx_rows(path), "classeur XLSX"
    dialect = sniff(path)
    names = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252"}.get(dialect.encoding, dialect.encoding)
    return iter_csv_rows(path, dialect), f"{label}, séparateur {names[dialect.separator]}"
