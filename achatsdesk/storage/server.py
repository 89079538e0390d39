"""The service's PostgreSQL server (team mode): its address, its engine, its errors.

A connection is configured once as a libpq connection string or URL
(``postgresql://host/db``, ``host=… dbname=…``) or a ``pg_service.conf`` entry
(``service=achats``). The password is never stored by achatsdesk in clear: libpq
reads ``.pgpass`` or uses Kerberos itself; otherwise ``password_from_keyring``
asks the system keyring. SQLAlchemy's psycopg 3 dialect takes the URL as it is.
"""

from __future__ import annotations

import getpass
import time
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from achatsdesk.errors import StorageError

KEYRING_SERVICE = "achatsdesk"


@dataclass(frozen=True)
class ServerAddress:
    """Where the team database is: a SQLAlchemy URL for the psycopg driver, and a label for people."""

    url: str

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        """A postgresql:// URL, a libpq key=value string or ``service=NAME``; French error otherwise."""
        text = text.strip()
        if not text:
            raise StorageError("Aucune adresse de serveur n'est indiquée.",
                               hint="Indiquez une adresse « postgresql://serveur/base » ou « service=nom ».")
        if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            scheme, rest = text.split("://", 1)
            return cls("postgresql+psycopg://" + rest)
        if "=" in text:
            # libpq's key=value form goes through as the driver's connection string.
            return cls("postgresql+psycopg:///?" + "&".join(_keyword_pairs(text)))
        raise StorageError(
            f"L'adresse « {text} » n'est ni une URL « postgresql://… » ni une chaîne de connexion libpq.",
            hint="Exemples : « postgresql://serveur.local/achats », « service=achats » (fichier pg_service.conf).",
        )

    @property
    def label(self) -> str:
        """Server and database, without the password: for the status bar and messages."""
        url = make_url(self.url)
        query = dict(url.query)
        if "service" in query and not url.host:
            return f"PostgreSQL (service {query['service']})"
        host = url.host or query.get("host") or ""
        if isinstance(host, tuple):
            host = host[0]
        database = url.database or query.get("dbname") or "?"
        if not host or host.startswith("/"):  # libpq's Unix socket: the server runs on this machine
            return f"PostgreSQL {database} sur ce poste"
        return f"PostgreSQL {database} sur {host}"

    @property
    def user(self) -> str:
        url = make_url(self.url)
        user = url.username or dict(url.query).get("user")
        if isinstance(user, tuple):
            user = user[0]
        return user or getpass.getuser()


def _keyword_pairs(text: str) -> list[str]:
    pairs = []
    for part in text.split():
        key, _, value = part.partition("=")
        if not key or not value:
            raise StorageError(f"La chaîne de connexion contient « {part} », qui n'est pas de la forme clé=valeur.",
                               hint="Exemple : « host=serveur dbname=achats user=dupont ».")
        if key == "password":
            raise StorageError("La chaîne de connexion contient un mot de passe en clair.",
                               hint="Retirez-le : achatsdesk le demande et le garde dans le trousseau du système, "
                                    "ou libpq le lit dans le fichier .pgpass.")
        pairs.append(f"{quote(key)}={quote(value)}")
    return pairs


def password_from_keyring(address: ServerAddress) -> str | None:
    """The password the user let the system keyring keep for this server, if any."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{address.user}@{address.label}")
    except Exception:  # noqa: BLE001 - no keyring backend on this machine: libpq's own ways remain
        return None


def store_password(address: ServerAddress, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, f"{address.user}@{address.label}", password)


def make_server_engine(address: ServerAddress, password: str | None = None, *, pooled: bool = True) -> Engine:
    """An engine on the team server, with ``password`` or else the keyring's (else libpq finds one itself).

    Pooled connections that sat idle are checked before use (a laptop's network comes and goes:
    ``ping_when_idle``); ``pooled=False`` for a one-off connection such as the settings' "Tester la
    connexion"."""
    from sqlalchemy.pool import NullPool

    connect_args: dict[str, object] = {"application_name": "achatsdesk", "connect_timeout": 5}
    secret = password or password_from_keyring(address)
    if secret and make_url(address.url).password is None:
        connect_args["password"] = secret
    if not pooled:
        return create_engine(address.url, future=True, poolclass=NullPool, connect_args=connect_args)
    engine = create_engine(address.url, future=True, pool_size=5, max_overflow=10, connect_args=connect_args)
    ping_when_idle(engine)
    return engine


# SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one more round trip to the server for each
# unit of work, a third of an autosave's. A connection returned to the pool seconds ago was working
# then; one that sat idle longer may have lost its server (the laptop slept, the network changed).
PING_AFTER_IDLE_S = 10.0


def ping_when_idle(engine: Engine, after_s: float | None = None) -> None:
    """Ping a pooled connection at checkout when it sat in the pool more than ``after_s`` seconds.

    A dead one is replaced before use (DisconnectionError: the pool opens a new connection and tries
    again). One that dies within the interval fails its first statement with the server's French
    message, nothing written, and SQLAlchemy discards the pool's connections: the next try reconnects.
    """
    interval = PING_AFTER_IDLE_S if after_s is None else after_s

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < interval:
            return  # just opened, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("team server connection lost while idle") from exc


def user_and_revision(conn) -> tuple[str, str | None]:
    """Who the server knows this connection as, and its schema revision (None: no achatsdesk schema yet)."""
    from sqlalchemy import inspect, text

    user = conn.execute(text("SELECT current_user")).scalar_one()
    if not inspect(conn).has_table("alembic_version"):
        return user, None
    return user, conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def server_error(exc: BaseException, label: str = "le serveur") -> StorageError | None:
    """A French StorageError for a psycopg error, or None when it is not one of the server's."""
    try:
        import psycopg
        from psycopg import errors
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return None
    original = getattr(exc, "orig", exc)
    if not isinstance(original, psycopg.Error):
        return None
    if isinstance(original, errors.InsufficientPrivilege):
        return StorageError(
            "Le serveur a refusé cette modification : vos droits ne la permettent pas.",
            hint="Demandez à un administrateur achatsdesk de votre service le rôle qui convient "
                 "(acheteur, chef de service ou administrateur). Rien n'a été enregistré.",
            detail=repr(original),
        )
    if isinstance(original, (errors.SerializationFailure, errors.DeadlockDetected)):
        return StorageError("Un collègue enregistrait en même temps : votre modification n'a pas été enregistrée.",
                            hint="Réessayez : elle partira cette fois.", detail=repr(original))
    if isinstance(original, psycopg.OperationalError):
        return StorageError(
            f"Le serveur de l'équipe ({label}) ne répond pas.",
            hint="Vérifiez la connexion au réseau du service ; les dossiers emportés hors connexion restent "
                 "disponibles dans la base locale. Rien n'a été enregistré sur le serveur.",
            detail=repr(original),
        )
    return StorageError("Le serveur de l'équipe a refusé l'enregistrement.",
                        hint="Réessayez ; si le problème continue, envoyez le journal à l'administrateur.",
                        detail=repr(original))
