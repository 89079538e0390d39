"""People and rights in team mode: the roles, the services, who may do what, who changed what.

On the team server each person is a PostgreSQL login role, member of one of the
groups ``achatsdesk_acheteur``, ``achatsdesk_chef``, ``achatsdesk_admin`` that
``resources/team/team_init.sql`` creates with the grants and the row-level-security
policies: the server refuses what a role may not do, whatever client connects.
This module installs that file, adds people, and tells the window what to hide.
Alone on the local SQLite file there is one user, who may do everything.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from achatsdesk.errors import StorageError, ValidationError
from achatsdesk.storage import team_roles
from achatsdesk.storage.database import Database, storage_error

# The role names people use (CLI, messages) and the PostgreSQL group each one is.
GROUPS = {"acheteur": "achatsdesk_acheteur", "chef": "achatsdesk_chef", "admin": "achatsdesk_admin"}
ROLE_LABELS = {"acheteur": "acheteur", "chef": "chef de service", "admin": "administrateur"}
ACTION_LABELS = {"creation": "Création", "modification": "Modification", "decision": "Décision de relecture"}
MAX_ROLE_NAME = 63  # PostgreSQL's identifier length


@dataclass(frozen=True)
class TeamRights:
    """What the connected person may do. The server enforces it; the window only hides."""

    user: str
    roles: frozenset[str]  # among "acheteur", "chef", "admin"
    services: tuple[str, ...]
    is_team: bool
    superuser: bool = False

    @property
    def unrestricted(self) -> bool:
        return not self.is_team or self.superuser

    @property
    def can_review(self) -> bool:
        return self.unrestricted or "chef" in self.roles

    @property
    def can_edit_library(self) -> bool:
        return self.unrestricted or "admin" in self.roles

    @property
    def can_administer(self) -> bool:
        return self.unrestricted or "admin" in self.roles


@dataclass(frozen=True)
class ChangeEntry:
    """One line of a dossier's history, as the database's triggers wrote it."""

    revision: int
    action: str  # creation | modification | decision
    by: str
    when: datetime

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def _require_team(database: Database, command: str) -> None:
    if not database.is_team:
        raise ValidationError(
            f"« {command} » s'applique à la base d'équipe sur un serveur PostgreSQL, pas à la base locale.",
            hint="Indiquez le serveur : « achatsdesk-cli --database postgresql://serveur/base "
                 f"{command} … » (ou la variable ACHATSDESK_DATABASE_URL).")


def init_team(database: Database, backups_dir: Path | None = None) -> None:
    """The schema (created or migrated as bootstrap does), then the roles, grants and policies.

    Idempotent: run again after an upgrade so that new tables get their rights.
    """
    from achatsdesk.paths import app_paths
    from achatsdesk.storage.server_schema import apply_team_rules, ensure_server_schema

    _require_team(database, "team init")
    assert database.server is not None
    ensure_server_schema(database.shared_engine, database.server, backups_dir or app_paths().backups)
    try:
        apply_team_rules(database.shared_engine)
    except Exception as exc:
        raise _server_refusal(exc, "team init") from exc


def _server_refusal(exc: BaseException, command: str) -> StorageError:
    error = storage_error(exc)
    if "droits" in error.message:
        return StorageError(
            f"Le serveur a refusé « {command} » : vos droits ne le permettent pas.",
            hint="Lancez cette commande avec un rôle superutilisateur (ou administrateur achatsdesk doté "
                 "de CREATEROLE), ou donnez le fichier resources/team/team_init.sql à votre DBA.",
            detail=error.detail)
    return error


def _check_role_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_ROLE_NAME or "\x00" in name:
        raise ValidationError(f"Le nom d'utilisateur « {name} » n'est pas valable.",
                              hint=f"Indiquez l'identifiant PostgreSQL de la personne (1 à {MAX_ROLE_NAME} caractères).")
    if name.startswith("achatsdesk_") or name in ("public", "postgres"):
        raise ValidationError(f"« {name} » est un rôle réservé, pas une personne.",
                              hint="Indiquez l'identifiant de connexion de la personne.")
    return name


def add_user(database: Database, name: str, role: str, service: str | None = None) -> bool:
    """Give the login role ``name`` the group of ``role`` and, with ``service``, that service's dossiers.

    The login role is created WITH LOGIN (no password: libpq's .pgpass, Kerberos or the
    DBA sets one) when it does not exist yet; returns True when it was created.
    Needs a superuser or a role with CREATEROLE.
    """
    if role not in GROUPS:
        raise ValidationError(f"Le rôle « {role} » est inconnu.",
                              hint="Choisissez acheteur, chef ou admin.")
    _require_team(database, "team add-user")
    name = _check_role_name(name)
    service = (service or "").strip()
    if len(service) > 80:
        raise ValidationError("Le nom du service dépasse 80 caractères.", hint="Raccourcissez-le.")
    group = GROUPS[role]
    try:
        with database.shared_engine.begin() as conn:
            if not team_roles.role_exists(conn, group):
                raise ValidationError("Les rôles achatsdesk n'existent pas encore sur ce serveur.",
                                      hint="Lancez d'abord « achatsdesk-cli --database … team init ».")
            created = team_roles.add_to_group(conn, name, group, service)
    except (ValidationError, StorageError):
        raise
    except Exception as exc:
        raise _server_refusal(exc, "team add-user") from exc
    return created


def current_rights(database: Database) -> TeamRights:
    """Who is connected and what they may do; alone on SQLite, everything."""
    if not database.is_team:
        return TeamRights(getpass.getuser(), frozenset(GROUPS), (), is_team=False)
    try:
        with database.shared_engine.connect() as conn:
            found = team_roles.session_roles(conn, list(GROUPS.values()))
    except Exception as exc:
        raise storage_error(exc) from exc
    if not found.existing_groups:  # `team init` never ran: the server has no rules to enforce
        return TeamRights(found.user, frozenset(), found.services, is_team=True, superuser=True)
    roles = frozenset(role for role, group in GROUPS.items() if group in found.member_of)
    return TeamRights(found.user, roles, found.services, is_team=True, superuser=found.superuser)


def dossier_history(database: Database, dossier_id: int) -> list[ChangeEntry]:
    """Who changed the dossier and when, oldest first (written by the triggers of 0011_team)."""
    from achatsdesk.storage import dossiers_repo
    from achatsdesk.storage.models.team import DossierChangeRow

    with database.unit_of_work() as session:
        dossiers_repo.get_row(session, dossier_id)  # a French "n'existe pas" for an unknown (or hidden) id
        rows = session.scalars(select(DossierChangeRow).where(DossierChangeRow.dossier_id == dossier_id)
                               .order_by(DossierChangeRow.id))
        return [ChangeEntry(r.revision, r.action, r.changed_by, r.changed_at) for r in rows]
