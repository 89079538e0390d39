"""The organisation's curated catalogue, from one workstation to all of them through the team server.

An administrator imports files and corrects sectors on their own workstation,
then publishes: the structures that did not come with achatsdesk (imported, or
received from an earlier release) and every sector correction travel as one
versioned release on the server (storage/models/catalogue_release.py). Each
workstation loads the newest release when it connects, in one transaction of
its local file: structures of a release that the next one drops are removed,
corrections are applied, the buyer's own imports are left alone unless the
organisation publishes the same structure (the organisation's version wins).

The payload is gzip-compressed JSON lines, one object per line, read strictly:
an unknown key, a wrong type or an unknown kind refuses the whole release with
a French message naming the key and the line, and the local catalogue is left
as it was.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime

from achatsdesk.catalogue.kinds import KIND_LABELS
from achatsdesk.catalogue.records import SupplierRecord
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.catalogue.upsert import CatalogueWriter, delete_suppliers, set_user_sectors
from achatsdesk.errors import AchatsdeskError
from achatsdesk.storage import catalogue_release_repo as releases
from achatsdesk.storage import suppliers_repo
from achatsdesk.storage.database import Database

log = logging.getLogger(__name__)

RELEASE_DATASET = "catalogue-organisation"  # reference_dataset row: the release this workstation loaded
SHARED_ORIGIN = "shared"  # supplier.origin of structures received from a release
_PUBLISHED_ORIGINS = ("import", SHARED_ORIGIN)
_RECORD_FIELDS = {f.name: f for f in fields(SupplierRecord) if f.name != "sector_ids"}
_STORED_FIELDS = [name for name in _RECORD_FIELDS if name != "alt_key"]  # alt_key lives in match_key only
_BATCH = 2000


class CatalogueReleaseError(AchatsdeskError):
    title = "Catalogue de l'organisation illisible"


@dataclass(frozen=True)
class Release:
    version: int
    published_at: datetime
    published_by: str
    suppliers: int
    corrections: int


@dataclass(frozen=True)
class ReleaseLoaded:
    version: int
    added: int
    updated: int
    unchanged: int
    removed: int
    corrections: int


def _needs_team(database: Database) -> None:
    if not database.is_team:
        raise AchatsdeskError(
            "Le catalogue de l'organisation se publie sur le serveur de l'équipe : achatsdesk travaille ici "
            "sur la base locale seule.",
            hint="Connectez-vous au serveur (Paramètres › Base de données, ou --database) puis recommencez.",
        )


# ---------------------------------------------------------------- publishing

def _payload_lines(database: Database) -> tuple[list[str], int, int]:
    lines: list[str] = []
    with database.engine.connect() as conn:
        for match_key, *values in releases.suppliers_of_origins(conn, _PUBLISHED_ORIGINS, _STORED_FIELDS):
            record = dict(zip(_STORED_FIELDS, values, strict=True))
            record["siret_valid"] = bool(record["siret_valid"])
            if not record["siret"] and not match_key.startswith("nosiret|"):
                record["alt_key"] = match_key.rsplit("|", 1)[0]  # e.g. "finess:950000000|ESAT"
            lines.append(json.dumps({"structure": record}, ensure_ascii=False))
        suppliers = len(lines)
        corrections = releases.user_sector_corrections(conn)
    for key, sector_ids in corrections.items():
        lines.append(json.dumps({"secteurs": {"match_key": key, "sector_ids": sector_ids}}, ensure_ascii=False))
    return lines, suppliers, len(corrections)


def publish_catalogue(database: Database, now: datetime | None = None) -> Release:
    """A new release on the server from this workstation's imported structures and sector corrections."""
    _needs_team(database)
    lines, suppliers, corrections = _payload_lines(database)
    payload = gzip.compress("\n".join(lines).encode("utf-8"), mtime=0)
    with database.shared_engine.connect() as conn:
        user = releases.login_role(conn)  # the login role, as the history triggers record it
    with database.unit_of_work() as session:
        row = releases.add_release(session, (now or datetime.now()).replace(microsecond=0), user, suppliers,
                                   corrections, payload)
    return Release(row.version, row.published_at, row.published_by, suppliers, corrections)


def latest_release(database: Database) -> Release | None:
    if not database.is_team:
        return None
    with database.unit_of_work() as session:
        row = releases.newest_release(session)
    return Release(*row) if row is not None else None


# ---------------------------------------------------------------- loading

def _record(value: object, line: int) -> SupplierRecord:
    if not isinstance(value, dict):
        raise _refused(f"la ligne {line} n'est pas un objet « structure »")
    unknown = set(value) - set(_RECORD_FIELDS)
    if unknown:
        raise _refused(f"clé inconnue « {sorted(unknown)[0]} » à la ligne {line}")
    for key in ("name", "kind", "source", "source_date"):
        if not isinstance(value.get(key), str) or not value[key]:
            raise _refused(f"« {key} » manquant ou non textuel à la ligne {line}")
    if value["kind"] not in KIND_LABELS:
        raise _refused(f"type de structure « {value['kind']} » inconnu à la ligne {line}")
    for key in ("latitude", "longitude"):
        if value.get(key) is not None and not isinstance(value[key], (int, float)):
            raise _refused(f"« {key} » doit être un nombre à la ligne {line}")
    if value.get("capacity") is not None and not isinstance(value["capacity"], int):
        raise _refused(f"« capacity » doit être un entier à la ligne {line}")
    if not isinstance(value.get("siret_valid", False), bool):
        raise _refused(f"« siret_valid » doit valoir true ou false à la ligne {line}")
    for key in ("siret", "brand", "legal_form", "naf", "address", "postcode", "commune", "insee", "departement",
                "website", "alt_key", "geo_precision"):
        if value.get(key) is not None and not isinstance(value[key], str):
            raise _refused(f"« {key} » doit être un texte à la ligne {line}")
    return SupplierRecord(**value)


def _correction(value: object, line: int) -> tuple[str, list[int]]:
    if not isinstance(value, dict) or set(value) != {"match_key", "sector_ids"}:
        raise _refused(f"la correction de secteurs de la ligne {line} doit avoir « match_key » et « sector_ids »")
    if not isinstance(value["match_key"], str) or not isinstance(value["sector_ids"], list) \
            or not all(isinstance(s, int) and not isinstance(s, bool) for s in value["sector_ids"]):
        raise _refused(f"correction de secteurs mal typée à la ligne {line}")
    return value["match_key"], value["sector_ids"]


def _refused(what: str) -> CatalogueReleaseError:
    return CatalogueReleaseError(
        f"Le catalogue publié par l'organisation est refusé : {what}.",
        hint="Le catalogue de ce poste n'a pas été modifié. Prévenez l'administrateur achatsdesk, qui peut publier "
             "à nouveau depuis son poste.",
    )


def _read_payload(payload: bytes) -> tuple[list[SupplierRecord], list[tuple[str, list[int]]]]:
    try:
        lines = gzip.decompress(payload).decode("utf-8").splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise _refused("le fichier est endommagé") from exc
    records, corrections = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise _refused(f"la ligne {number} n'est pas du JSON lisible") from exc
        if not isinstance(item, dict) or len(item) != 1:
            raise _refused(f"la ligne {number} doit contenir « structure » ou « secteurs »")
        (kind, value), = item.items()
        if kind == "structure":
            records.append(_record(value, number))
        elif kind == "secteurs":
            corrections.append(_correction(value, number))
        else:
            raise _refused(f"clé inconnue « {kind} » à la ligne {number}")
    return records, corrections


def load_published_catalogue(database: Database,
                             progress: Callable[[int, int, str], None] | None = None) -> ReleaseLoaded | None:
    """Bring the newest release into the local catalogue; None when there is none or it is loaded already."""
    if not database.is_team:
        return None
    latest = latest_release(database)
    if latest is None:
        return None
    with database.engine.connect() as conn:
        if suppliers_repo.dataset_version(conn, RELEASE_DATASET) == str(latest.version):
            return None
    with database.unit_of_work() as session:
        payload = releases.release_payload(session, latest.version)
    records, corrections = _read_payload(payload)
    naf_map = NafSectorMap.load()
    added = updated = unchanged = removed = applied = 0
    with database.engine.begin() as conn:  # one transaction: the release whole, or nothing
        writer = CatalogueWriter(conn, naf_map, origin=SHARED_ORIGIN)
        for start in range(0, len(records), _BATCH):
            counts = writer.write(records[start:start + _BATCH])
            added, updated, unchanged = added + counts.added, updated + counts.updated, unchanged + counts.unchanged
            if progress is not None:
                progress(min(start + _BATCH, len(records)), len(records), "Catalogue de l'organisation…")
        stale = suppliers_repo.ids_of_origin(conn, SHARED_ORIGIN) - writer.touched_ids
        if stale:
            delete_suppliers(conn, stale)
            removed = len(stale)
        known_sectors = {row.id for row in suppliers_repo.sectors(conn)}
        for key, sector_ids in corrections:
            supplier_id = releases.supplier_id_by_key(conn, key)
            if supplier_id is not None:
                set_user_sectors(conn, supplier_id, [s for s in sector_ids if s in known_sectors])
                applied += 1
        suppliers_repo.set_dataset_version(conn, RELEASE_DATASET, str(latest.version), len(records))
    log.info("Organisation catalogue release %d loaded: +%d ~%d -%d, %d corrections",
             latest.version, added, updated, removed, applied)
    return ReleaseLoaded(latest.version, added, updated, unchanged, removed, applied)
