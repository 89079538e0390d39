"""Look-ups over the reference data, for the pickers, the CLI and other services."""

from __future__ import annotations

from achatsdesk.domain import input_limits
from achatsdesk.storage import reference_search as rs
from achatsdesk.storage.database import Database

CpvEntry = rs.CpvEntry
CommuneEntry = rs.CommuneEntry


class ReferenceService:
    """Read-only queries; each call uses its own short connection (thread-safe)."""

    def __init__(self, database: Database) -> None:
        self._engine = database.engine

    def search_cpv(self, query: str, limit: int = 20) -> list[CpvEntry]:
        query, limit = input_limits.clean_query(query), input_limits.check_limit(limit)
        with self._engine.connect() as conn:
            return rs.search_cpv(conn, query, limit)

    def get_cpv(self, code: str) -> CpvEntry | None:
        with self._engine.connect() as conn:
            return rs.get_cpv(conn, code)

    def cpv_children(self, parent_code: str | None) -> list[CpvEntry]:
        with self._engine.connect() as conn:
            return rs.cpv_children(conn, parent_code)

    def search_communes(self, query: str, limit: int = 20) -> list[CommuneEntry]:
        query, limit = input_limits.clean_query(query), input_limits.check_limit(limit)
        with self._engine.connect() as conn:
            return rs.search_communes(conn, query, limit)

    def get_commune(self, insee: str) -> CommuneEntry | None:
        with self._engine.connect() as conn:
            return rs.get_commune(conn, insee)

    def resolve_commune(self, text_or_code: str) -> CommuneEntry | None:
        text_or_code = input_limits.clean_query(text_or_code)
        with self._engine.connect() as conn:
            return rs.resolve_commune(conn, text_or_code)

    def counts(self) -> dict[str, int]:
        with self._engine.connect() as conn:
            return rs.reference_counts(conn)
