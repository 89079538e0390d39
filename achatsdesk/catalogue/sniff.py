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

from achatsdesk.domain import input_limits
from achatsdesk.errors import InputFileError

SAMPLE_BYTES = 256 * 1024
MAX_LINE_CHARS = 4 * 1024 * 1024  # one physical line: 500 columns of long text fit well within
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


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the sample looks like mostly-Latin text in UTF-16 with no BOM
    (every other byte zero), as some exports write it; else None."""
    head = sample[: len(sample) - len(sample) % 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    even_zeros, odd_zeros = even.count(0), odd.count(0)
    half = len(head) // 2
    for zeros, other, encoding in ((odd_zeros, even_zeros, "utf-16-le"), (even_zeros, odd_zeros, "utf-16-be")):
        if zeros > 0.7 * half and other < 0.05 * half:
            try:
                head.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def detect_encoding(path: Path, sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16:
            return utf16
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
    # Lines cut to 4 096 characters: a huge cell (refused later, row by row) must not stop the detection.
    lines = [line[:4096] for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        raise _not_readable(path, "fichier vide")
    best, best_score = None, 0
    for sep in SEPARATORS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
        except csv.Error:
            continue
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


class OversizedRow(list):
    """A row refused by the input limits: its cells are left out, ``reason`` goes in the import report."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def _bounded_lines(handle, path: Path, max_chars: int) -> Iterator[str]:
    """The file's lines, refusing (instead of reading gigabytes into memory) a line with no end."""
    while True:
        line = handle.readline(max_chars + 1)
        if not line:
            return
        if len(line) > max_chars and not line.endswith(("\n", "\r")):
            raise _not_readable(path, f"une ligne dépasse {max_chars:,} caractères".replace(",", "\u202f"))
        yield line


def iter_csv_rows(path: Path, dialect: CsvDialect) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every physical row, header included, streamed.

    A cell over max_cell_chars or a row over max_columns comes out as an
    OversizedRow (the row is rejected with its line number, the file goes on).
    """
    limits = input_limits.LIMITS
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(limits.max_cell_chars)
    try:
        with path.open(encoding=dialect.encoding, errors="replace", newline="") as handle:
            lines = _bounded_lines(handle, path, MAX_LINE_CHARS)
            reader = csv.reader(lines, delimiter=dialect.separator)
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    if "field larger than field limit" in str(exc):
                        yield reader.line_num, OversizedRow(
                            f"une cellule dépasse {limits.max_cell_chars} caractères")
                        continue
                    raise _not_readable(path, f"ligne {reader.line_num} : {exc}") from exc
                if len(cells) > limits.max_columns:
                    yield reader.line_num, OversizedRow(f"plus de {limits.max_columns} colonnes")
                    continue
                yield reader.line_num, cells
    finally:
        csv.field_size_limit(previous_limit)


def iter_xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) of the first sheet, streamed (read-only mode).

    The zip directory is checked first (sizes, ratio, count, encryption): a
    crafted workbook is refused before openpyxl inflates anything.
    """
    from openpyxl import load_workbook

    limits = input_limits.LIMITS
    input_limits.open_archive(path).close()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same story for the user
        raise _not_readable(path, "classeur Excel illisible ou endommagé") from exc
    try:
        if not workbook.worksheets:
            raise _not_readable(path, "le classeur ne contient aucune feuille")
        sheet = workbook.worksheets[0]
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if len(values) > limits.max_columns:
                    yield number, OversizedRow(f"plus de {limits.max_columns} colonnes")
                    continue
                cells = ["" if v is None else str(v) for v in values]
                if any(len(c) > limits.max_cell_chars for c in cells):
                    yield number, OversizedRow(f"une cellule dépasse {limits.max_cell_chars} caractères")
                    continue
                yield number, cells
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part (zlib, CRC, XML) mid-way
            raise input_limits.damaged(path, "feuille illisible", repr(exc)) from exc
    finally:
        workbook.close()


def iter_table(path: Path) -> tuple[Iterator[tuple[int, list[str]]], str]:
    """The rows of a CSV or XLSX file and a description ("UTF-8, séparateur ;")."""
    if not path.is_file():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    size = path.stat().st_size
    if size > input_limits.LIMITS.max_table_bytes:
        raise input_limits.too_large(path, f"il pèse plus de {input_limits.LIMITS.max_table_bytes // input_limits.MB} Mo")
    if is_xlsx(path):
        return iter_xlsx_rows(path), "classeur XLSX"
    dialect = sniff(path)
    names = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 avec BOM", "cp1252": "Windows-1252", "utf-16": "UTF-16",
             "utf-16-le": "UTF-16 sans BOM", "utf-16-be": "UTF-16 (gros-boutiste) sans BOM"}.get(
        dialect.encoding, dialect.encoding)
    return iter_csv_rows(path, dialect), f"{label}, séparateur {names[dialect.separator]}"
