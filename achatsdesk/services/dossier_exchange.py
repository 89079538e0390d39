"""The ``.achatsdesk`` exchange file: one dossier with its checklist, comments,
clause selections, shortlist and review history, to send by e-mail or USB key.

A zip holding ``manifest.json`` (format, schema version, app version, date)
and ``dossier.json``. Import reads and checks everything before writing
anything, then stores the dossier in one transaction: a malformed or newer
file changes nothing. A dossier already present (same uid) is never
overwritten: the import is kept beside it as a copy.

The dossier's insertion-sizing factors travel under the key "insertion" of the
dossier (added within schema 1: a file without it imports with the defaults,
and an older achatsdesk ignores the key).
"""

from __future__ import annotations

import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from achatsdesk import __version__
from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.domain import input_limits
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.dossier_bounds import dossier_bounds_problem
from achatsdesk.domain.formatting import format_date_field
from achatsdesk.errors import AchatsdeskError, InputFileError
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services import execution_exchange
from achatsdesk.services.dossiers import get_dossier, insert_dossier
from achatsdesk.storage import dossiers_repo
from achatsdesk.storage import shortlists as shortlist_rows
from achatsdesk.storage.database import Database

FORMAT_NAME = "achatsdesk-dossier"
SCHEMA_VERSION = 1
EXTENSION = ".achatsdesk"
# Sizes: domain/input_limits.py (max_exchange_member_bytes; the dossier bounds MAX_LOTS...).


@dataclass(frozen=True)
class ImportOutcome:
    dossier_id: int
    title: str
    kept_both: bool  # a dossier with the same identity existed: the import is a copy beside it


def _shortlist_snapshot(database: Database, shortlist_id: int | None) -> dict[str, Any] | None:
    """The shortlist as plain data (its ids mean nothing on another machine)."""
    return None if shortlist_id is None else shortlists.shortlist_snapshot(database, shortlist_id)


def export_dossier(database: Database, dossier_id: int, target: Path) -> Path:
    """Write the exchange file; written beside the target then renamed, so a failure leaves no half file."""
    stored = get_dossier(database, dossier_id)
    target = Path(target)
    if target.suffix.lower() != EXTENSION:
        target = target.with_name(target.name + EXTENSION)
    snapshot = _shortlist_snapshot(database, stored.dossier.shortlist_id) or stored.shortlist_snapshot
    manifest = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": datetime.now().replace(microsecond=0).isoformat(),
    }
    body = {"dossier": stored.dossier.to_dict(), "shortlist": snapshot,
            "revision": stored.revision, "updated_at": stored.updated_at.isoformat()}
    with database.unit_of_work() as session:  # the award and execution follow-up, if any
        body["execution"] = execution_exchange.execution_payload(session, dossier_id)
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr("dossier.json", json.dumps(body, ensure_ascii=False, indent=2))

    # Temp file beside the target, then an atomic rename: never a half-written exchange file.
    write_atomically(target, write)
    return target


def _refuse(path: Path, reason: str, detail: str = "", *, hint: str = "") -> InputFileError:
    return InputFileError(
        f"Le fichier « {path.name} » ne peut pas être importé : {reason}",
        hint=hint or "Aucun dossier n'a été modifié. "
        "Demandez à l'expéditeur de vous renvoyer le fichier exporté par achatsdesk.",
        detail=detail,
    )


def _member(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    try:
        archive.getinfo(name)
    except KeyError:
        raise _refuse(path, f"il manque « {name} » à l'intérieur.") from None
    data = input_limits.read_member(archive, path, name, input_limits.LIMITS.max_exchange_member_bytes)
    try:
        return input_limits.load_json(path, name, data)
    except InputFileError as exc:
        raise _refuse(path, exc.message, exc.detail) from exc


def read_exchange_file(path: Path) -> tuple[Dossier, dict[str, Any] | None]:
    """Read and check an exchange file without touching the database."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    limits = input_limits.LIMITS
    try:
        # The zip directory is checked (size, count, ratio, encryption, method) before anything is inflated.
        with input_limits.open_archive(path, max_entries=16, max_entry_bytes=limits.max_exchange_member_bytes,
                                       max_total_bytes=2 * limits.max_exchange_member_bytes) as archive:
            manifest = _member(archive, "manifest.json", path)
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
                raise _refuse(path, "ce n'est pas un dossier achatsdesk.")
            version = manifest.get("schema_version")
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise _refuse(path, "sa version de format est illisible.")
            if version > SCHEMA_VERSION:
                raise InputFileError(
                    f"Le fichier « {path.name} » a été créé par une version plus récente d'achatsdesk "
                    f"(format {version}, cette version lit jusqu'au format {SCHEMA_VERSION}).",
                    hint="Installez la dernière version d'achatsdesk pour l'ouvrir ; aucun dossier n'a été modifié.",
                )
            body = _member(archive, "dossier.json", path)
    except input_limits.ArchiveRefused as exc:
        raise _refuse(path, exc.reason + ".", exc.detail, hint=exc.advice + " Aucun dossier n'a été modifié.") from exc
    except OSError as exc:
        raise _refuse(path, "il n'a pas pu être lu.", repr(exc)) from exc
    if not isinstance(body, dict) or not isinstance(body.get("dossier"), dict):
        raise _refuse(path, "il ne contient pas de dossier.")
    problem = dossier_bounds_problem(body["dossier"])
    if problem:
        raise _refuse(path, problem + ".")
    try:
        dossier = Dossier.from_dict(body["dossier"])
    except AchatsdeskError as exc:
        raise _refuse(path, exc.message) from exc
    except (TypeError, ValueError, AttributeError, KeyError, ArithmeticError, RecursionError) as exc:
        raise _refuse(path, f"le dossier qu'il contient a un champ mal formé ({_field_hint(exc)}).", repr(exc)) from exc
    shortlist = body.get("shortlist")
    return dossier, shortlist if isinstance(shortlist, dict) else None


def _field_hint(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:160]


def import_dossier(database: Database, path: Path) -> ImportOutcome:
    """Store the dossier of an exchange file; a local dossier with the same identity is kept untouched."""
    dossier, shortlist = read_exchange_file(path)
    execution = execution_exchange.read_execution(Path(path))
    dossier.shortlist_id = None  # local shortlist ids differ between machines; the snapshot travels instead
    with database.unit_of_work() as session:
        clash = dossier.uid and dossiers_repo.find_id_by_uid(session, dossier.uid)
        kept_both = bool(clash)
        if kept_both:
            dossier.uid = str(uuid.uuid4())
            dossier.title = f"{dossier.title} (importé le {format_date_field(datetime.now().date())})"
        dossier_id = insert_dossier(session, dossier, shortlist)
        execution_exchange.restore_execution(session, dossier_id, execution)
    return ImportOutcome(dossier_id, dossier.title, kept_both)


@dataclass(frozen=True)
class SnapshotListOutcome:
    shortlist_id: int
    name: str
    added: int
    missing: int  # suppliers of the snapshot not in this machine's catalogue (SIRET and kind), or without SIRET


def create_shortlist_from_snapshot(database: Database, snapshot: dict[str, Any], name: str = "") -> SnapshotListOutcome:
    """A local shortlist of the snapshot's suppliers that this catalogue holds, matched by SIRET and
    kind (the catalogue's own key: one establishment can be both an EI and an ACI). The name is the
    snapshot's, made unique; the caller attaches the list to the dossier."""
    suppliers = [s for s in snapshot.get("suppliers") or [] if isinstance(s, dict)]
    list_name = name or str(snapshot.get("name") or "") or "Liste reçue avec le dossier"
    with database.engine.connect() as catalogue:
        found = [(fields, str(supplier.get("note") or "")) for supplier in suppliers
                 if (supplier_id := _local_supplier(catalogue, supplier)) is not None
                 and (fields := shortlist_rows.supplier_fields(catalogue, supplier_id)) is not None]
    # ONE transaction: a kill or an error midway leaves no list at all, never a half-filled one.
    with database.shared_engine.begin() as conn:
        shortlist_id = shortlists.insert_shortlist(conn, list_name, unique=True)
        added = sum(shortlist_rows.add_item(conn, shortlist_id, fields, note) for fields, note in found)
        info = shortlist_rows.list_infos(conn, shortlist_id)[0]
    return SnapshotListOutcome(info.id, info.name, added, len(suppliers) - len(found))


def _local_supplier(conn, supplier: dict[str, Any]) -> int | None:
    siret = "".join(str(supplier.get("siret") or "").split())
    if not siret:
        return None
    return shortlist_rows.supplier_by_siret_and_kind(conn, siret, str(supplier.get("kind") or ""))
