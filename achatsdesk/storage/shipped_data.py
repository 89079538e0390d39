"""The data files shipped in resources/data, and their fingerprints.

The database records which version of each shipped dataset it holds (table
``reference_dataset``: name, version, rows). Start-up compares those versions
with the fingerprints computed here to know whether anything must be
(re)loaded. The files are named here rather than next to their loaders so
that this check needs neither SQLAlchemy nor the catalogue importers: the
quick start (storage/quick_start.py) runs it before either is imported.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from achatsdesk.errors import ReferenceDataError

# Reference datasets, in load order (régions before départements: foreign key).
REFERENCE_FILES = {
    "regions": "regions_cog2026.csv",
    "departements": "departements_cog2026.csv",
    "cpv": "cpv_2008_fr_en.csv",
    "naf": "naf_rev2_tous_niveaux.csv",
    "communes": "communes_cog2026.csv",
}

# The supplier catalogue is one dataset made of four files.
CATALOGUE_DATASET = "catalogue"
STRUCTURES_FILE = "catalogue_structures.csv"
SECTOR_GROUPS_FILE = "catalogue_sector_groups.csv"
SECTORS_FILE = "catalogue_sectors.csv"
NAF_SECTORS_FILE = "naf_to_sectors.csv"
CATALOGUE_FILES = (STRUCTURES_FILE, SECTOR_GROUPS_FILE, SECTORS_FILE, NAF_SECTORS_FILE)


def _content(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReferenceDataError(f"Le fichier {what} « {path.name} » est absent.", hint="Réinstallez achatsdesk.") from None
    except OSError as exc:
        raise ReferenceDataError(
            f"Le fichier {what} « {path.name} » ne peut pas être lu.", hint="Réinstallez achatsdesk.", detail=str(exc)
        ) from exc


def file_fingerprint(path: Path) -> str:
    """The version of one reference file: the start of its SHA-256."""
    import hashlib  # here: a start-up whose cache is current hashes nothing

    return hashlib.sha256(_content(path, "de données de référence")).hexdigest()[:16]


def catalogue_fingerprint(data_dir: Path) -> str:
    """The version of the shipped catalogue: one SHA-256 over its four files, in order."""
    import hashlib

    digest = hashlib.sha256()
    for name in CATALOGUE_FILES:
        digest.update(_content(data_dir / name, "du catalogue"))
    return digest.hexdigest()[:16]


def shipped_versions(data_dir: Path, cache_file: Path | None = None) -> dict[str, str]:
    """Every shipped dataset's version, as ``reference_dataset`` holds it once loaded.

    With ``cache_file``, a dataset's version is reused while the size and
    modification time of each of its files are unchanged: hashing the 6 MB of
    shipped files costs more than all the rest of the start-up check. An
    update of achatsdesk rewrites the files, so their times change.
    """
    datasets = {name: (filename,) for name, filename in REFERENCE_FILES.items()}
    datasets[CATALOGUE_DATASET] = CATALOGUE_FILES
    cache = _read_cache(cache_file, data_dir)
    versions: dict[str, str] = {}
    changed = False
    for name, filenames in datasets.items():
        signature = _signature(data_dir, filenames)
        cached = cache.get(name)
        if signature is not None and cached and cached.get("files") == signature:
            versions[name] = cached["version"]
            continue
        if name == CATALOGUE_DATASET:
            versions[name] = catalogue_fingerprint(data_dir)
        else:
            versions[name] = file_fingerprint(data_dir / filenames[0])
        cache[name] = {"files": signature, "version": versions[name]}
        changed = True
    if cache_file is not None and changed:
        _write_cache(cache_file, data_dir, cache)
    return versions


def _signature(data_dir: Path, filenames: tuple[str, ...]) -> list[list] | None:
    try:
        stats = [(name, (data_dir / name).stat()) for name in filenames]
    except OSError:
        return None  # a missing file: the fingerprint says so, in French
    return [[name, stat.st_size, stat.st_mtime_ns] for name, stat in stats]


def _read_cache(cache_file: Path | None, data_dir: Path) -> dict:
    if cache_file is None:
        return {}
    try:
        content = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no cache yet, or a damaged one: hash again
    if not isinstance(content, dict) or content.get("data_dir") != str(data_dir):
        return {}
    datasets = content.get("datasets")
    if not isinstance(datasets, dict):
        return {}
    # Only well-formed entries: anything else is hashed again, never trusted nor a crash.
    return {
        name: entry for name, entry in datasets.items()
        if isinstance(entry, dict) and isinstance(entry.get("files"), list) and isinstance(entry.get("version"), str)
    }


def _write_cache(cache_file: Path, data_dir: Path, datasets: dict) -> None:
    """Best effort, whole or not at all: the cache only saves time."""
    temporary = cache_file.with_name(cache_file.name + ".tmp")
    try:
        temporary.write_text(json.dumps({"data_dir": str(data_dir), "datasets": datasets}), encoding="utf-8")
        os.replace(temporary, cache_file)
    except OSError:
        temporary.unlink(missing_ok=True)
