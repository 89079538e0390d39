"""The team server's roles as PostgreSQL knows them: who exists, who belongs to which group, which
services a person works for. Plain SQL on a connection the caller opened (services/team.py decides
what to do with the answers and words the refusals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class SessionRoles:
    """The connected login role: its name, whether it is a superuser, the groups of ``groups`` that
    exist on the server and those it is a member of, and its services (``team_member``)."""

    user: str
    superuser: bool
    existing_groups: frozenset[str]
    member_of: frozenset[str]
    services: tuple[str, ...]


def quoted(name: str) -> str:
    """``name`` as a PostgreSQL identifier (roles cannot be bound parameters in CREATE / GRANT)."""
    return '"' + name.replace('"', '""') + '"'


def role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar())


def add_to_group(conn: Connection, name: str, group: str, service: str = "") -> bool:
    """Make the login role ``name`` (created WITH LOGIN, no password, when missing) a member of
    ``group``, working for ``service`` when one is given; True when the role was created."""
    created = not role_exists(conn, name)
    if created:
        conn.execute(text(f"CREATE ROLE {quoted(name)} LOGIN"))
    if not conn.execute(text("SELECT pg_has_role(:n, :g, 'MEMBER')"), {"n": name, "g": group}).scalar():
        conn.execute(text(f"GRANT {quoted(group)} TO {quoted(name)}"))
    if service:
        conn.execute(text("INSERT INTO team_member (role_name, service) VALUES (:n, :s) ON CONFLICT DO NOTHING"),
                     {"n": name, "s": service})
    return created


def session_roles(conn: Connection, groups: list[str]) -> SessionRoles:
    user, superuser = conn.execute(
        text("SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user")).one()
    existing = frozenset(conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:g)"),
                                      {"g": groups}).scalars())
    member_of = frozenset(group for group in existing if conn.execute(
        text("SELECT pg_has_role(session_user, :g, 'MEMBER')"), {"g": group}).scalar())
    services = tuple(conn.execute(
        text("SELECT service FROM team_member WHERE role_name = session_user::text ORDER BY service")).scalars())
    return SessionRoles(str(user), bool(superuser), existing, member_of, services)
