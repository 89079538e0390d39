"""Read a supplier file: find its header, recognise its format, stream SupplierRecords.

Rows come out one at a time with their line number; a bad row yields a
RowRejected with its reason instead of stopping the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.formats import FORMATS, FileFormat, Provenance, detect_format
from achatsdesk.catalogue.generic import REQUIRED_FIELDS, generic_converter, guess_mapping
from achatsdesk.catalogue.records import RowRejected, SupplierRecord, departement_of
from achatsdesk.catalogue.sniff import OversizedRow, iter_table
from achatsdesk.errors import InputFileError

GENERIC = "csv"


@dataclass
class FilePreview:
    format_code: str  # one of FORMATS or "csv"
    format_label: str
    encoding_label: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)


def _header_and_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]], str]:
    rows, description = iter_table(path)
    for _line, cells in rows:
        if isinstance(cells, OversizedRow):
            raise InputFileError(
                f"Le fichier « {path.name} » a un en-tête refusé : {cells.reason}.",
                hint="Vérifiez que la première ligne contient les noms des colonnes, puis réessayez.",
            )
        if any(c.strip() for c in cells):
            return [c.strip() for c in cells], rows, description
    raise InputFileError(
        f"Le fichier « {path.name} » ne contient aucune ligne.", hint="Choisissez un fichier qui contient des structures."
    )


def _format_for(code: str, headers: list[str], path: Path) -> FileFormat | None:
    if code == GENERIC:
        return None
    if code == "auto":
        return detect_format(headers)
    candidates = [FORMATS[code]] if code in FORMATS else []
    if code == "lemarche":
        candidates.append(FORMATS["lemarche-export"])
    if not candidates:
        raise InputFileError(f"Format « {code} » inconnu.", hint="Choisissez auto, asp-siae, geiq, finess-esat, lemarche, sirene ou csv.")
    present = {h.casefold() for h in headers}
    for fmt in candidates:
        if all(name.casefold() in present for name in fmt.required):
            return fmt
    missing = [n for n in candidates[0].required if n.casefold() not in present]
    hint = "Vérifiez que la première ligne du fichier contient les en-têtes d'origine."
    if code == "sirene":
        hint = ("Un extrait SIRENE doit joindre établissements et unités légales (une ligne par établissement, "
                "avec la colonne economieSocialeSolidaireUniteLegale). " + hint)
    raise InputFileError(
        f"Le fichier « {path.name} » n'a pas les colonnes attendues pour le format {candidates[0].label} : "
        f"il manque {', '.join(missing)}.",
        hint=hint,
    )


def preview(path: Path, format_code: str = "auto", max_rows: int = 20) -> FilePreview:
    """The detected format, the encoding and the first rows: what the import assistant shows."""
    headers, rows, description = _header_and_rows(path)
    fmt = _format_for(format_code, headers, path)
    result = FilePreview(
        fmt.code if fmt else GENERIC,
        fmt.label if fmt else "Tableau quelconque (à faire correspondre)",
        description,
        headers,
    )
    for _line, cells in rows:
        if len(result.rows) >= max_rows:
            break
        if any(c.strip() for c in cells):
            result.rows.append(cells)
    if fmt is None:
        result.mapping = guess_mapping(headers)
    return result


def place(record: SupplierRecord, communes: CommuneIndex) -> SupplierRecord:
    """Fill (in place) the INSEE code, the département, the commune's official name (the
    sources write "USSEL", "Ussel" or "ST DENIS") and, lacking coordinates, its centre."""
    found = communes.by_insee(record.insee) or communes.locate(record.postcode, record.commune)
    if found is None:
        record.departement = record.departement or departement_of(record.postcode, record.insee)
        return record
    record.insee, record.departement, record.commune = found.insee, found.departement, found.name
    if (record.latitude is None or record.longitude is None) and found.latitude is not None:
        record.latitude, record.longitude, record.geo_precision = found.latitude, found.longitude, "commune"
    return record


def read_records(
    path: Path,
    format_code: str,
    provenance: Provenance,
    communes: CommuneIndex,
    *,
    mapping: dict[str, str] | None = None,
    default_kind: str | None = None,
) -> Iterator[tuple[int, SupplierRecord | RowRejected]]:
    headers, rows, _description = _header_and_rows(path)
    fmt = _format_for(format_code, headers, path)
    if fmt is None:
        mapping = mapping if mapping is not None else guess_mapping(headers)
        missing = [f for f in REQUIRED_FIELDS if f not in mapping]
        if missing or ("kind" not in mapping and not default_kind):
            raise InputFileError(
                f"Le fichier « {path.name} » n'a pas été reconnu et aucune colonne ne donne "
                + ("la raison sociale." if missing else "le type de structure."),
                hint="Utilisez l'assistant d'import pour indiquer quelle colonne contient quoi, ou choisissez un type par défaut.",
            )
        unknown = [h for h in mapping.values() if h not in headers]
        if unknown:
            raise InputFileError(f"Colonnes absentes du fichier : {', '.join(unknown)}.", hint="Corrigez la correspondance des colonnes.")

        convert = generic_converter(provenance, mapping, default_kind)
    else:
        def convert(row: dict[str, str]) -> SupplierRecord:
            return fmt.convert(row, provenance)

    width = len(headers)
    for line, cells in rows:
        if isinstance(cells, OversizedRow):
            yield line, RowRejected(cells.reason)
            continue
        if not "".join(cells).strip():
            continue  # empty lines are not rows
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        row = dict(zip(headers, cells, strict=False))
        try:
            yield line, place(convert(row), communes)
        except RowRejected as exc:
            yield line, exc
