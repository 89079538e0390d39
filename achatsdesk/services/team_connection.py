"""Which database achatsdesk opens: the local file alone, or the service's team server.

The connection is configured once (Paramètres › Base de données, or by the
service in ``config/serveur.json``) and may be overridden for one run by
``--database`` or ``ACHATSDESK_DATABASE_URL``. The file holds the address only,
never a password (the system keyring or libpq's ``.pgpass`` keeps that).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from achatsdesk.errors import StorageError
from achatsdesk.paths import AppPaths

# The address as written: read before the first paint, hence its own light module (re-exported here).
from achatsdesk.services.connection_setting import (  # noqa: F401
    ENVIRONMENT_VARIABLE,
    SETTINGS_FILE,
    configured_text,
    saved_address,
    settings_path,
)

if TYPE_CHECKING:  # storage.server imports SQLAlchemy: not before the quick start's first paint
    from achatsdesk.storage.server import ServerAddress


def save_address(paths: AppPaths, address: str) -> None:
    """Remember the server to connect to ("" goes back to the local file); refuses an unreadable address."""
    from achatsdesk.documents.safe_output import write_atomically

    address = address.strip()
    if address in ("local", "sqlite"):
        address = ""
    if address:
        parse_address(address)  # a French error (no password in a file) before anything is written
    paths.config.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"address": address}, ensure_ascii=False, indent=2)
    write_atomically(settings_path(paths), lambda partial: partial.write_text(body, encoding="utf-8"))


def configured_address(paths: AppPaths, explicit: str | None = None) -> ServerAddress | None:
    """``explicit`` (--database), else the environment variable, else the saved setting; None: local file."""
    from achatsdesk.storage.server import ServerAddress

    text = configured_text(paths, explicit)
    return ServerAddress.parse(text) if text else None


# --- Paramètres › Base de données -----------------------------------------------------------------
LOCAL_LABEL = "Base locale (ce poste)"


@dataclass(frozen=True)
class ConnectionCheck:
    """What "Tester la connexion" found on the server."""

    label: str  # "PostgreSQL achats sur serveur"
    user: str  # the role the server knows the user as (current_user)
    revision: str | None  # the schema revision stamped on the server; None: no achatsdesk schema yet
    head: str  # the revision this achatsdesk expects

    @property
    def message(self) -> str:
        """The result, in French, for the settings dialog."""
        said = f"Connexion réussie à {self.label}, en tant que « {self.user} »."
        if self.revision is None:
            return said + (" La base ne contient pas encore les tables d'achatsdesk : elles seront créées "
                           "au premier démarrage connecté.")
        if self.revision == self.head:
            return said + f" Révision du schéma : {self.revision} (à jour)."
        return said + (f" Révision du schéma : {self.revision} ; cette version d'achatsdesk attend {self.head} "
                       "(la base sera mise à jour par un administrateur, ou refusée si elle est plus récente).")


def parse_address(text: str) -> ServerAddress:
    """The address typed in the settings (postgresql://… or service=…); French StorageError otherwise.

    A password inside the address is refused: the settings file never holds one."""
    from sqlalchemy.engine import make_url

    from achatsdesk.storage.server import ServerAddress

    address = ServerAddress.parse(text)
    if make_url(address.url).password is not None:
        raise StorageError("L'adresse contient un mot de passe en clair.",
                           hint="Retirez-le de l'adresse et tapez-le dans le champ « Mot de passe » : achatsdesk "
                                "le garde dans le trousseau du système (ou utilisez le fichier .pgpass).")
    return address


def address_label(text: str) -> str:
    """"PostgreSQL achats sur serveur" for an address; the local file's label for "" / "local"."""
    text = text.strip()
    if not text or text in ("local", "sqlite"):
        return LOCAL_LABEL
    return parse_address(text).label


def environment_override() -> str | None:
    """What the environment variable imposes over the saved setting, as a label; None when it is not set.
    (An address that does not parse is shown as written: opening it said what is wrong.)"""
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return address_label(text)
    except Exception:  # noqa: BLE001 - a label only
        return text


def remember_password(text: str, password: str) -> None:
    """Keep the server's password in the system keyring (never in a file); French error without a keyring."""
    from achatsdesk.storage.server import store_password

    address = parse_address(text)
    try:
        store_password(address, password)
    except Exception as exc:  # noqa: BLE001 - keyring raises its own errors per backend
        raise StorageError("Le mot de passe n'a pas pu être gardé dans le trousseau du système.",
                           hint="Ce poste n'a pas de trousseau utilisable : demandez à votre administrateur "
                                "un fichier .pgpass ou une connexion Kerberos. Rien n'a été enregistré.",
                           detail=repr(exc)) from exc


def check_connection(text: str, password: str = "") -> ConnectionCheck:
    """Connect to the server (with ``password``, else the keyring's, else libpq's .pgpass or Kerberos),
    read the user's name and the schema revision. French StorageError when it fails."""
    from achatsdesk.storage.migrate import head_revision
    from achatsdesk.storage.server import make_server_engine, server_error, user_and_revision

    address = parse_address(text)
    engine = make_server_engine(address, password or None, pooled=False)
    try:
        with engine.connect() as conn:
            user, revision = user_and_revision(conn)
    except Exception as exc:
        found = server_error(exc, address.label)
        if found is None:
            raise
        raise found from exc
    finally:
        engine.dispose()
    return ConnectionCheck(address.label, user, revision, head_revision())

