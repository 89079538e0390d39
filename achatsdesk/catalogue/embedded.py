"""The catalogue shipped with achatsdesk: how it is built from the public sources, and read back.

``build_embedded`` (run by scripts/build_catalogue.py) merges the real lists
in order of trust, de-duplicated by SIRET and kind: the Marché de
l'inclusion's structures (with coordinates), then the ASP 2019 SIAE list and
the 2019 GEIQ list for what the first lacks, then the FINESS ESAT list.
``read_embedded`` streams the result back as SupplierRecords.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.formats import FORMATS, Provenance
from achatsdesk.catalogue.naf_mapping import NAF_TO_SECTORS
from achatsdesk.catalogue.reader import read_records
from achatsdesk.catalogue.records import RowRejected, SupplierRecord, clean, parse_float, parse_int
from achatsdesk.storage.shipped_data import (
    CATALOGUE_FILES as EMBEDDED_FILES,  # noqa: F401 - re-exported
)
from achatsdesk.storage.shipped_data import NAF_SECTORS_FILE as NAF_FILE
from achatsdesk.storage.shipped_data import SECTOR_GROUPS_FILE, SECTORS_FILE, STRUCTURES_FILE

FIELDS = (
    "siret", "siret_valid", "alt_key", "name", "brand", "kind", "legal_form", "naf", "address", "postcode",
    "commune", "insee", "departement", "latitude", "longitude", "geo_precision", "capacity", "website",
    "source", "source_date",
)

# (file under structures-inclusives/, format, source shown to the user, date of the data)
SOURCES = (
    ("lemarche_fixture_siaes.csv", "lemarche", "Marché de l'inclusion (données ASP et GEIQ)", "2020-12"),
    ("les-emplois_2019_07_liste_siae_sans_contacts.csv", "asp-siae", "ASP, liste des SIAE conventionnées", "2019-07"),
    ("les-emplois_2019_11_21_export_bbd_geiq_sans_contacts.csv", "geiq", "Liste des GEIQ (les emplois de l'inclusion)", "2019-11"),
    ("pilotage-airflow_seed_esat__liste_officielle_sans_contacts.csv", "finess-esat", "FINESS, liste officielle des ESAT (enquête 2025)", "2025"),
)
# Rows of the Marché de l'inclusion fixture entered by hand on the site's test instance, not official.
_UNOFFICIAL = ("USER_CREATED", "STAFF_CREATED")


@dataclass
class BuildStats:
    read: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    duplicates: Counter = field(default_factory=Counter)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    precision: Counter = field(default_factory=Counter)
    invalid_siret: int = 0
    total: int = 0


def _unofficial_lines(path: Path) -> set[int]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return {reader.line_num for row in reader if row.get("source") in _UNOFFICIAL}


def _write_taxonomy(sectors_dir: Path, out_dir: Path) -> None:
    def load(name: str) -> list[dict]:
        return json.loads((sectors_dir / name).read_text(encoding="utf-8"))

    with (out_dir / SECTOR_GROUPS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "slug"])
        for item in sorted(load("lemarche_fixture_0b_sectorgroups.json"), key=lambda i: i["pk"]):
            writer.writerow([item["pk"], item["fields"]["name"], item["fields"]["slug"]])
    with (out_dir / SECTORS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "slug", "group_id"])
        for item in sorted(load("lemarche_fixture_0c_sectors.json"), key=lambda i: i["pk"]):
            f = item["fields"]
            writer.writerow([item["pk"], f["name"], f["slug"], f["group"]])


def _write_naf_mapping(out_dir: Path, sector_ids: set[int]) -> None:
    with (out_dir / NAF_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["naf_prefix", "sector_ids", "basis", "status"])
        for prefix, ids, why in NAF_TO_SECTORS:
            unknown = set(ids) - sector_ids
            if unknown:
                raise ValueError(f"NAF mapping {prefix} names unknown sectors {unknown}")
            writer.writerow([prefix, "|".join(map(str, ids)), why, "dérivé (table achatsdesk)"])


def build_embedded(shared_data: Path, out_dir: Path) -> BuildStats:
    """Write the catalogue files into out_dir from the shared public data."""
    _write_taxonomy(shared_data / "lemarche-sectors", out_dir)
    with (out_dir / SECTORS_FILE).open(encoding="utf-8") as handle:
        _write_naf_mapping(out_dir, {int(r["id"]) for r in csv.DictReader(handle)})
    communes = CommuneIndex.from_csv(out_dir / "communes_cog2026.csv")
    stats = BuildStats()
    merged: dict[str, SupplierRecord] = {}
    for filename, fmt, source, day in SOURCES:
        path = shared_data / "structures-inclusives" / filename
        skip = _unofficial_lines(path) if fmt == "lemarche" else set()
        for line, item in read_records(path, FORMATS[fmt].code, Provenance(source, day), communes):
            if line in skip:
                continue
            stats.read[filename] += 1
            if isinstance(item, RowRejected):
                stats.rejected.append((filename, line, str(item)))
                continue
            key = item.match_key
            if key in merged:
                stats.duplicates[filename] += 1
                first = merged[key]
                # The earlier, more precise source wins; it only borrows what it lacks.
                merged[key] = first.with_(
                    naf=first.naf or item.naf, legal_form=first.legal_form or item.legal_form,
                    website=first.website or item.website,
                )
                continue
            merged[key] = item
            stats.kept[filename] += 1
    with (out_dir / STRUCTURES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for record in sorted(merged.values(), key=lambda r: (r.departement or "", r.kind, r.name)):
            row = [getattr(record, name) for name in FIELDS]
            row[1] = "1" if record.siret_valid else "0"
            writer.writerow(["" if v is None else v for v in row])
            stats.kinds[record.kind] += 1
            stats.precision[record.geo_precision] += 1
            stats.invalid_siret += bool(record.siret and not record.siret_valid)
    stats.total = len(merged)
    return stats


def read_embedded(path: Path) -> Iterator[SupplierRecord]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield SupplierRecord(
                name=row["name"], kind=row["kind"], source=row["source"], source_date=row["source_date"],
                siret=clean(row["siret"]), siret_valid=row["siret_valid"] == "1", alt_key=clean(row["alt_key"]),
                brand=clean(row["brand"]), legal_form=clean(row["legal_form"]), naf=clean(row["naf"]),
                address=clean(row["address"]), postcode=clean(row["postcode"]), commune=clean(row["commune"]),
                insee=clean(row["insee"]), departement=clean(row["departement"]),
                latitude=parse_float(row["latitude"]), longitude=parse_float(row["longitude"]),
                geo_precision=row["geo_precision"] or "none", capacity=parse_int(row["capacity"]),
                website=clean(row["website"]),
            )
