"""Which address the window opens, as written: the override, the environment, the saved setting.

Read at every start before the window's first paint (services/bootstrap.py, the
quick start), so this stays light: the rest of the team connection (saving,
testing, parsing the address) is services/team_connection.py, which re-exports these.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from achatsdesk.errors import StorageError
from achatsdesk.paths import AppPaths

ENVIRONMENT_VARIABLE = "ACHATSDESK_DATABASE_URL"
SETTINGS_FILE = "serveur.json"


def settings_path(paths: AppPaths) -> Path:
    return paths.config / SETTINGS_FILE


def saved_address(paths: AppPaths) -> str:
    """The address saved in the settings ("" for the local file alone)."""
    path = settings_path(paths)
    if not path.is_file():
        return ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorageError(f"Le réglage de connexion « {path} » est illisible.",
                           hint="Corrigez-le dans Paramètres › Base de données, ou supprimez ce fichier "
                                "pour travailler sur la base locale.", detail=repr(exc)) from exc
    unknown = set(data) - {"address"} if isinstance(data, dict) else {"(racine)"}
    if unknown or not isinstance(data.get("address", ""), str):
        raise StorageError(f"Le réglage de connexion « {path} » contient une clé inconnue ou mal typée "
                           f"({', '.join(sorted(unknown)) or 'address'}).",
                           hint="Seule la clé « address » (texte) est attendue.")
    return data.get("address", "").strip()


def configured_text(paths: AppPaths, explicit: str | None = None) -> str:
    """The address to use, as written ("" for the local file): cheap, imports nothing heavy."""
    for candidate in (explicit, os.environ.get(ENVIRONMENT_VARIABLE), saved_address(paths)):
        if candidate and candidate.strip():
            return "" if candidate.strip() in ("local", "sqlite") else candidate.strip()
    return ""
