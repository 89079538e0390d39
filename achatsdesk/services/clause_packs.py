"""Library packs: the user's clauses in one file, to share with colleagues offline.

A pack is a zip holding ``manifest.json`` and one ``clauses/<id>.json`` per
clause. Import is all or nothing: every entry name is checked (no absolute
path, no ``..``, no link, nothing outside the expected layout), every clause
is parsed and validated (Jinja syntax, declared variables, no access to
internals, a sandboxed trial render with its defaults) before anything is
written; then all clauses are stored in one transaction.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.domain import input_limits
from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.errors import AchatsdeskError, InputFileError, ValidationError
from achatsdesk.services.clause_format import clause_from_dict, clause_to_dict
from achatsdesk.services.clause_library import (
    USER,
    check_user_clause,
    free_id,
    load_library,
    store_user_clause,
    user_clauses,
)
from achatsdesk.storage.database import Database

PACK_FORMAT = "achatsdesk-clauses"
PACK_VERSION = 1
# Sizes: domain/input_limits.py (max_pack_bytes, max_pack_member_bytes, max_pack_entries).
_ENTRY = re.compile(r"^clauses/[a-z0-9][a-z0-9-]{1,79}\.json$")


@dataclass(frozen=True)
class PackImportReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]  # same id and same wording as one of the user's clauses: refreshed
    # (pack id, id of the copy): the pack's clause had the id of one of the user's own clauses with
    # another wording; the user's clause is kept as it was, the pack's is stored beside it.
    copied: tuple[tuple[str, str], ...] = ()

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + len(self.copied)

    def summary(self) -> str:
        """The report in French, naming each clause imported as a copy."""
        added, updated = len(self.added), len(self.updated)
        text = (f"{count_of(added, 'clause')} {word_for(added, 'ajoutée')}, "
                f"{count_of(updated, 'clause')} {word_for(updated, 'mise')} à jour.")
        for pack_id, copy_id in self.copied:
            text += (f" « {pack_id} » existait déjà parmi vos clauses avec un autre texte : votre clause est gardée, "
                     f"celle du paquet est importée comme copie « {copy_id} ».")
        return text


def export_pack(database: Database, target: Path, clause_ids: list[str] | None = None) -> int:
    """Write the user's clauses (all, or those listed) to a pack; returns the count."""
    clauses = user_clauses(database)
    if clause_ids is not None:
        wanted = set(clause_ids)
        clauses = [c for c in clauses if c.id in wanted]
        missing = wanted - {c.id for c in clauses}
        if missing:
            raise ValidationError(
                f"La clause « {sorted(missing)[0]} » n'est pas une de vos clauses : seules vos clauses s'exportent.",
                hint="Faites-en une copie pour la partager.",
            )
    if not clauses:
        raise ValidationError("Vous n'avez aucune clause à exporter.", hint="Créez ou copiez d'abord une clause.")
    manifest = {
        "format": PACK_FORMAT,
        "version": PACK_VERSION,
        "clauses": [f"clauses/{c.id}.json" for c in clauses],
    }
    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            for clause in clauses:
                archive.writestr(f"clauses/{clause.id}.json", json.dumps(clause_to_dict(clause), ensure_ascii=False, indent=2))

    # Temp file beside the target, then an atomic rename; French errors for locked, read-only, full disk.
    write_atomically(target, write)
    return len(clauses)


def _refuse(source: Path, reason: str, hint: str = "") -> InputFileError:
    return InputFileError(
        f"Le paquet de clauses « {source.name} » est refusé : {reason}",
        hint=hint or "Aucune clause n'a été importée. Demandez à son auteur un paquet exporté par achatsdesk.",
    )


def _json_member(archive: zipfile.ZipFile, source: Path, name: str):
    data = input_limits.read_member(archive, source, name, input_limits.LIMITS.max_pack_member_bytes)
    return input_limits.load_json(source, name, data)


def _field_of(exc: BaseException) -> str:
    return str(exc)[:120] or type(exc).__name__


def check_entry_name(name: str) -> bool:
    """True for the two shapes a pack may hold; any other path (../../x, /etc, C:\\x) is unsafe."""
    return name == "manifest.json" or bool(_ENTRY.match(name))


def read_pack(source: Path) -> list[ClauseTemplate]:
    """Every clause of the pack, checked; raises (French) on the first problem, naming it."""
    limits = input_limits.LIMITS
    try:
        source.stat()
    except OSError as exc:
        raise InputFileError(f"Le fichier « {source.name} » est introuvable ou illisible.", detail=str(exc)) from exc
    try:
        # The zip directory is checked (size, count, ratio, encryption, method) before anything is inflated.
        archive = input_limits.open_archive(
            source, max_bytes=limits.max_pack_bytes, max_entries=limits.max_pack_entries,
            max_entry_bytes=limits.max_pack_member_bytes,
            max_total_bytes=limits.max_pack_entries * limits.max_pack_member_bytes,
        )
    except input_limits.ArchiveRefused as exc:
        raise _refuse(source, exc.reason + ".", exc.advice + " Aucune clause n'a été importée.") from exc
    with archive:
        infos = archive.infolist()
        for info in infos:
            if not check_entry_name(info.filename):
                raise _refuse(source, f"le chemin « {info.filename} » n'est pas autorisé dans un paquet.")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(source, f"« {info.filename} » est un lien, ce qui n'est pas autorisé.")
        names = {info.filename for info in infos}
        if "manifest.json" not in names:
            raise _refuse(source, "il ne contient pas de manifeste (manifest.json).")
        try:
            manifest = _json_member(archive, source, "manifest.json")
        except input_limits.ArchiveRefused as exc:
            raise _refuse(source, f"son manifeste : {exc.reason}.", exc.advice + " Aucune clause n'a été importée.") from exc
        except InputFileError as exc:
            raise _refuse(source, "son manifeste est illisible.") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != PACK_FORMAT:
            raise _refuse(source, "ce n'est pas un paquet de clauses achatsdesk.")
        if not isinstance(manifest.get("version"), int) or manifest["version"] > PACK_VERSION:
            raise _refuse(source, "il a été créé par une version plus récente d'achatsdesk ; mettez l'application à jour.")
        listed = manifest.get("clauses")
        if not isinstance(listed, list) or not listed:
            raise _refuse(source, "il ne contient aucune clause.")
        for entry in listed:
            if not isinstance(entry, str) or not check_entry_name(entry) or entry == "manifest.json":
                raise _refuse(source, f"le chemin « {entry} » n'est pas autorisé dans un paquet.")
            if entry not in names:
                raise _refuse(source, f"la clause « {entry} » annoncée dans le manifeste est absente.")
        clauses: list[ClauseTemplate] = []
        for entry in listed:
            try:
                data = _json_member(archive, source, entry)
                if not isinstance(data, dict):
                    raise ValidationError(f"« {entry} » doit contenir un objet JSON (une clause).")
                clause = clause_from_dict(data, entry)
                if f"clauses/{clause.id}.json" != entry:
                    raise ValidationError(f"le fichier « {entry} » contient la clause « {clause.id} ».")
                clauses.append(check_user_clause(replace(clause, source=USER)))
            except input_limits.ArchiveRefused as exc:
                raise _refuse(source, exc.reason + ".", exc.advice + " Aucune clause n'a été importée.") from exc
            except InputFileError as exc:
                raise _refuse(source, f"« {entry} » n'est pas un fichier JSON lisible.") from exc
            except AchatsdeskError as exc:
                raise _refuse(source, exc.message) from None
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                raise _refuse(source, f"« {entry} » a un champ d'un type inattendu ({_field_of(exc)}).") from exc
    ids = [c.id for c in clauses]
    if len(set(ids)) != len(ids):
        raise _refuse(source, "il contient deux fois la même clause.")
    return clauses


def _same_text(mine: ClauseTemplate, theirs: ClauseTemplate) -> bool:
    return (mine.title, mine.body) == (theirs.title, theirs.body)


def import_pack(database: Database, source: Path) -> PackImportReport:
    """All clauses of the pack or none: checked first, then stored in one transaction.

    A pack never replaces a user's own clause silently: a clause with the id of one of the
    user's clauses and another wording is stored as a copy with a new id (said in the report)."""
    clauses = read_pack(source)
    mine = {c.id: c for c in user_clauses(database)}
    taken = {c.id for c in load_library(database).all()} | {c.id for c in clauses}
    added, updated, copied = [], [], []
    to_store: list[ClauseTemplate] = []
    for clause in clauses:
        own = mine.get(clause.id)
        if own is None:
            added.append(clause.id)
        elif _same_text(own, clause):
            updated.append(clause.id)
        else:
            copy_id = free_id(taken, f"{clause.id}-import")
            taken.add(copy_id)
            copied.append((clause.id, copy_id))
            clause = replace(clause, id=copy_id, title=f"{clause.title} (importée)")
        to_store.append(clause)
    with database.unit_of_work() as session:
        for clause in to_store:
            store_user_clause(session, clause, origin="import")
    return PackImportReport(tuple(added), tuple(updated), tuple(copied))

