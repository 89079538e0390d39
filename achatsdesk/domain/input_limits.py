"""Bounds on everything achatsdesk reads from a file someone else made.

One place for the sizes, with their defaults and why (docs/input-limits.md):
the readers (supplier CSV/XLSX, clause packs, exchange files, the
organisation's Word templates) check an archive from its zip directory
BEFORE inflating anything, read each member through a bounded stream (a
declared size can lie), and refuse a file past a bound with a French message
naming the bound. The dossier limits are constants the dossier JSON schema
and the editor use too.

A deployment may change an ``InputLimits`` size with ``config/limites.json``
(the field names, e.g. ``{"max_columns": 800}``), read when the database
is opened (services/bootstrap.py, on the window's opening worker) and at
the start of every command line.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path

from achatsdesk.domain.formatting import format_number
from achatsdesk.errors import InputFileError

MB = 1024 * 1024

# --- dossiers: enforced by the exchange reader, the dossier JSON schema and the editor ---
MAX_LOTS = 500  # the largest allotments seen in French tenders are a few hundred lots
MAX_CPV_CODES = 500
MAX_CLAUSES = 500  # clause selections per dossier
MAX_TITLE_CHARS = 1_000  # a title is a line; the description holds the rest
MAX_TEXT_CHARS = 100_000  # any other free text field (description, comment)
MAX_AMOUNT_EUR = Decimal("1000000000000")  # 1 000 milliards d'euros: above any public contract
MAX_DURATION_MONTHS = 1_200  # 100 years: above any concession


@dataclass(frozen=True)
class InputLimits:
    # Archives (xlsx, docx/dotx, packs, .achatsdesk). Ratios above 100:1 only come from crafted files.
    max_archive_bytes: int = 200 * MB
    max_archive_entries: int = 10_000
    max_entry_bytes: int = 512 * MB  # one inflated member (a 300 000-row XLSX sheet is about 150 MB)
    max_total_bytes: int = 1024 * MB  # all members inflated
    max_ratio: int = 100  # inflated / compressed, for members over 1 MB inflated
    # Supplier tables
    max_table_bytes: int = 1024 * MB  # a CSV of a million suppliers is about 300 MB
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_columns: int = 500
    # Clause packs and exchange files
    max_pack_bytes: int = 20 * MB
    max_pack_member_bytes: int = 512 * 1024
    max_pack_entries: int = 1_000
    max_exchange_member_bytes: int = 20 * MB
    # Organisation templates (.docx/.dotx): styles, page setup, header and footer
    max_template_bytes: int = 20 * MB
    max_template_member_bytes: int = 50 * MB


LIMITS = InputLimits()


def load_limits(config_dir: Path) -> InputLimits:
    """Apply ``limites.json`` from the config folder, if any (unknown or bad values are ignored)."""
    global LIMITS
    path = config_dir / "limites.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        data = {}
    known = {f.name for f in fields(InputLimits)}
    if not isinstance(data, dict):
        data = {}
    changes = {k: v for k, v in data.items() if k in known and isinstance(v, int) and not isinstance(v, bool) and v > 0}
    LIMITS = replace(InputLimits(), **changes)
    return LIMITS


# --- search arguments (CLI and window) ---
MAX_SEARCH_LIMIT = 10_000
MAX_RADIUS_KM = 1_000.0  # mainland France fits in 1 000 km
MAX_QUERY_CHARS = 500


def clean_query(text: str | None) -> str:
    """Search text without lone surrogates (an undecodable command-line byte) and of a sane length."""
    if not text:
        return ""
    text = "".join(ch for ch in str(text)[:MAX_QUERY_CHARS] if not 0xD800 <= ord(ch) <= 0xDFFF)
    return text


def check_limit(limit: object) -> int:
    from achatsdesk.errors import ValidationError

    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ValidationError(f"Le nombre de résultats demandé ({str(limit)[:20]}) doit être un entier "
                              f"entre 1 et {format_number(MAX_SEARCH_LIMIT)}.")
    return limit


def check_radius(radius_km: object) -> float:
    import math

    from achatsdesk.errors import ValidationError

    ok = isinstance(radius_km, (int, float)) and not isinstance(radius_km, bool) and math.isfinite(radius_km)
    if not ok or not 0 <= float(radius_km) <= MAX_RADIUS_KM:  # type: ignore[arg-type]
        raise ValidationError(f"Le rayon ({str(radius_km)[:20]} km) doit être compris entre 0 et "
                              f"{format_number(MAX_RADIUS_KM)} km.")
    return float(radius_km)  # type: ignore[arg-type]


# --- archives ---

DAMAGED_HINT = ("Le fichier est peut-être incomplet (téléchargement interrompu, clé USB retirée trop tôt) : "
                "demandez-en une nouvelle copie, ou réenregistrez-le depuis le logiciel qui l'a créé.")


class ArchiveRefused(InputFileError):
    """An archive refused from its directory or while inflating; ``reason`` reads after "refusé :"."""

    def __init__(self, message: str, *, reason: str, advice: str, detail: str = "") -> None:
        super().__init__(message, hint=advice + " Rien n'a été modifié.", detail=detail)
        self.reason = reason
        self.advice = advice  # what to do, for callers that say themselves what was left unchanged


def damaged(path: Path, what: str, detail: str = "") -> ArchiveRefused:
    return ArchiveRefused(
        f"Le fichier « {path.name} » est endommagé ({what}) : il n'a pas été lu.",
        reason=f"fichier endommagé ({what})",
        advice=DAMAGED_HINT,
        detail=detail,
    )


def too_large(path: Path, what: str) -> ArchiveRefused:
    return ArchiveRefused(
        f"Le fichier « {path.name} » est refusé : {what}.",
        reason=what,
        advice="Si le fichier est légitime, découpez-le en plusieurs fichiers plus petits.",
    )


_SUPPORTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                  ValueError, KeyError)


def open_archive(path: Path, *, max_bytes: int | None = None, max_entries: int | None = None,
                 max_entry_bytes: int | None = None, max_total_bytes: int | None = None) -> zipfile.ZipFile:
    """Open ``path`` as a zip after checking its directory: sizes, count, ratio, methods, encryption.

    Raises InputFileError ("endommagé" or "refusé"); nothing is inflated here.
    """
    limits = LIMITS
    max_bytes = max_bytes or limits.max_archive_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(f"Le fichier « {path.name} » est introuvable ou illisible.", detail=repr(exc)) from exc
    if size > max_bytes:
        raise too_large(path, f"il pèse plus de {format_number(max_bytes // MB)} Mo")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except ARCHIVE_ERRORS as exc:
        raise damaged(path, "archive zip illisible", repr(exc)) from exc
    try:
        check_directory(path, infos, max_entries=max_entries or limits.max_archive_entries,
                        max_entry_bytes=max_entry_bytes or limits.max_entry_bytes,
                        max_total_bytes=max_total_bytes or limits.max_total_bytes)
    except BaseException:
        archive.close()
        raise
    return archive


def check_directory(path: Path, infos: list[zipfile.ZipInfo], *, max_entries: int, max_entry_bytes: int,
                    max_total_bytes: int) -> None:
    if len(infos) > max_entries:
        raise too_large(path, f"l'archive contient plus de {format_number(max_entries)} éléments")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise damaged(path, f"« {info.filename} » est chiffré, ce qu'achatsdesk ne lit pas")
        if info.compress_type not in _SUPPORTED_METHODS:
            raise damaged(path, f"« {info.filename} » utilise une compression inconnue")
        if info.file_size > max_entry_bytes:
            raise too_large(path, f"« {info.filename} » se décompresse en plus de "
                                  f"{format_number(max_entry_bytes // MB)} Mo")
        if info.file_size > MB and info.file_size > LIMITS.max_ratio * max(info.compress_size, 1):
            raise too_large(path, f"« {info.filename} » se décompresse {format_number(info.file_size // max(info.compress_size, 1))} "
                                  "fois sa taille (bombe de décompression)")
        total += info.file_size
    if total > max_total_bytes:
        raise too_large(path, f"l'archive se décompresse en plus de {format_number(max_total_bytes // MB)} Mo")


def read_member(archive: zipfile.ZipFile, path: Path, name: str, max_bytes: int) -> bytes:
    """One member, inflated through a bounded stream (its declared size may lie); damage in French."""
    try:
        with archive.open(name) as stream:
            data = stream.read(max_bytes + 1)
    except KeyError:
        raise
    except ARCHIVE_ERRORS as exc:
        raise damaged(path, f"« {name} » est illisible", repr(exc)) from exc
    if len(data) > max_bytes:
        raise too_large(path, f"« {name} » dépasse {format_number(max_bytes // 1024)} Ko une fois décompressé")
    return data


# --- JSON ---

def load_json(path: Path, name: str, data: bytes):
    """Parse one JSON member; an unreadable or absurdly nested one is refused in French."""
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError as exc:
        raise InputFileError(  # not ArchiveRefused: the archive is sound, its content is not
            f"Le fichier « {path.name} » est refusé : « {name} » imbrique ses données trop profondément.",
            hint="Rien n'a été modifié. Demandez un fichier exporté par achatsdesk.",
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(f"« {name} » n'est pas un JSON lisible.", detail=repr(exc)) from exc
