"""Which database achatsdesk opens: the local file alone, or the service's team server.

The connection is configured once (Paramètres › Base de données, or by the
service in ``config/serveur.json``) and may be overridden for one run by
``--database`` or ``ACHATSDESK_DATABASE_URL``. The file holds the address only,
never a password (the system keyring or libpq's ``.pgpass`` keeps that).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from achatsdesk.errors import StorageError
from achatsdesk.paths import AppPaths

if TYPE_CHECKING:  # storage.server imports SQLAlchemy: not before the quick start's first paint
    from achatsdesk.storage.server import ServerAddress

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


def save_address(paths: AppPaths, address: str) -> None:
    """Remember the server to connect to ("" goes back to the local file); refuses an unreadable address."""
    from achatsdesk.documents.safe_output import write_atomically
    from achatsdesk.storage.server import ServerAddress

    address = address.strip()
    if address:
        ServerAddress.parse(address)  # a French error before anything is written
    paths.config.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"address": address}, ensure_ascii=False, indent=2)
    write_atomically(settings_path(paths), lambda partial: partial.write_text(body, encoding="utf-8"))


def configured_text(paths: AppPaths, explicit: str | None = None) -> str:
    """The address to use, as written ("" for the local file): cheap, imports nothing heavy."""
    for candidate in (explicit, os.environ.get(ENVIRONMENT_VARIABLE), saved_address(paths)):
        if candidate and candidate.strip():
            return "" if candidate.strip() in ("local", "sqlite") else candidate.strip()
    return ""


def configured_address(paths: AppPaths, explicit: str | None = None) -> ServerAddress | None:
    """``explicit`` (--database), else the environment variable, else the saved setting; None: local file."""
    from achatsdesk.storage.server import ServerAddress

    text = configured_text(paths, explicit)
    return ServerAddress.parse(text) if text else None
