"""The buyer-editable settings of the clause area: the labour-share table (insertion sizing)
and the lever thresholds (local supply).

The shipped files (resources/rules/labour_shares.json, lever_settings.json) can be
overridden by a copy of the same file in the user's configuration folder: that is
how a facilitator edits labour shares or thresholds. Files are read once per change
(cached by modification time).

Each function takes that configuration folder (``config``) from its caller: the window
passes its context's paths; without one (the command line), the process's own folder
(``app_paths().config``, which honours ACHATSDESK_HOME) is used.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from achatsdesk.domain.insertion import LabourShareTable, labour_table_from_dict
from achatsdesk.domain.levers import LeverSettings
from achatsdesk.errors import ReferenceDataError, ValidationError
from achatsdesk.paths import app_paths, resources_dir

LABOUR_SHARES_FILE = "labour_shares.json"
LEVER_SETTINGS_FILE = "lever_settings.json"
CPV_SECTORS_FILE = "cpv_to_sectors.json"


def config_folder(config: Path | None = None) -> Path:
    """The configuration folder given by the caller, else this process's (the command line's default)."""
    return config if config is not None else app_paths().config


def _read_json(name: str, config: Path | None = None) -> Any:
    """The user's copy in the config folder when present, else the shipped file."""
    user_copy = config_folder(config) / name
    path = user_copy if user_copy.is_file() else resources_dir() / "rules" / name
    return read_path(path)


@lru_cache(maxsize=16)
def _read_cached(path: str, mtime: float) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_path(path: Path) -> Any:
    try:
        return _read_cached(str(path), path.stat().st_mtime)
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(
            f"Le fichier de réglages « {path.name} » est illisible.",
            hint="Supprimez votre copie modifiée dans le dossier de configuration pour revenir aux valeurs livrées.",
            detail=str(exc),
        ) from exc


def labour_table(config: Path | None = None) -> LabourShareTable:
    return labour_table_from_dict(_read_json(LABOUR_SHARES_FILE, config))


def settings_document(name: str, config: Path | None = None) -> dict[str, Any]:
    """The settings file as in force (the user's copy or the shipped one), to edit it."""
    if name not in (LABOUR_SHARES_FILE, LEVER_SETTINGS_FILE):
        raise ValidationError(f"Réglage « {name} » inconnu.")
    return json.loads(json.dumps(_read_json(name, config)))  # a fresh copy the caller may change


def save_settings_document(name: str, document: dict[str, Any], config: Path | None = None) -> Path:
    """Check then write the user's copy in the configuration folder (the shipped file never changes)."""
    if name == LABOUR_SHARES_FILE:
        labour_table_from_dict(document)
    elif name == LEVER_SETTINGS_FILE:
        LeverSettings.from_dict(document)
    else:
        raise ValidationError(f"Réglage « {name} » inconnu.")
    folder = config_folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(name + ".partiel")
    partial.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(target)
    return target


def reset_settings_document(name: str, config: Path | None = None) -> None:
    """Back to the shipped values: the user's copy is removed."""
    (config_folder(config) / name).unlink(missing_ok=True)


def lever_settings(config: Path | None = None) -> LeverSettings:
    return LeverSettings.from_dict(_read_json(LEVER_SETTINGS_FILE, config))
