"""What the indicators read of the dossiers, in four set-based queries instead of one ORM load per dossier.

The dossiers out of the Corbeille with what their amount and their insertion sizing
are made of (estimate, contract kind, framework maximum, sizing factors), their
lots, their CPV codes and their chosen clauses with their variables. Reviews and
checklist answers are not read: no indicator uses them.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from achatsdesk.domain.dossier import ClauseSelection, ContractKind, Dossier, Lot
from achatsdesk.storage.dossiers_repo import euros, insertion_factors

_DOSSIERS = ("SELECT id, launch_date, estimated_amount_cents, contract_kind, framework_max_cents, insertion_json "
             "FROM dossier WHERE deleted_at IS NULL ORDER BY id")
_LOTS = "SELECT dossier_id, title, cpv, amount_cents, small_lot FROM dossier_lot ORDER BY dossier_id, position"
_CPV = "SELECT dossier_id, code FROM dossier_cpv ORDER BY dossier_id, position"
_CLAUSES = "SELECT dossier_id, clause_id, version, variables_json, lot FROM dossier_clause ORDER BY dossier_id, position"
_CONTRACT_KINDS = {kind.value: kind for kind in ContractKind}


@dataclass(frozen=True)
class DossierFigures:
    """The part of a dossier the indicators count (domain/indicators.py) and the insertion sizing
    reads (services/insertion_sizing.py): ``dossier`` holds the launch date, the amount's parts
    (estimate, lots, contract kind, framework maximum), the CPV codes, the sizing factors and the
    chosen clauses; no title, checklist or reviews. The sizing and the amount are then the
    domain's own (Dossier.amount_eur, size_dossier_insertion), not a copy of them in SQL."""

    id: int
    dossier: Dossier
    amount_eur: Decimal  # dossier.amount_eur, worked out once

    @property
    def launch_date(self) -> date | None:
        return self.dossier.launch_date

    @property
    def clauses(self) -> list[ClauseSelection]:
        return self.dossier.clauses


def _rows(connection: Connection, sql: str) -> list[tuple]:
    """The rows of a query without parameters, through the DB-API cursor (SQLite or PostgreSQL):
    SQLAlchemy's result handling cost more than the queries for the ten thousand rows here."""
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _date(value) -> date | None:
    """SQLite gives a DATE column as ISO text, PostgreSQL as a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def read_dossier_figures(connection: Connection,
                         variables_of: Collection[str] | None = None) -> list[DossierFigures]:
    """The dossiers out of the Corbeille, in four set-based queries (dossiers, lots, CPV codes, chosen
    clauses) and no ORM load. `variables_of`: the clause ids whose variables are read (decoding every
    clause's JSON is most of the time otherwise); None reads them all. `connection`: one of the
    engine holding the dossiers (Database.shared_engine)."""
    clauses: dict[int, list[ClauseSelection]] = {}
    for dossier_id, clause_id, version, variables, lot in _rows(connection, _CLAUSES):
        wanted = variables_of is None or clause_id in variables_of
        clauses.setdefault(dossier_id, []).append(
            ClauseSelection(clause_id, version or "", json.loads(variables or "{}") if wanted else {}, lot)
        )
    lots: dict[int, list[Lot]] = {}
    for dossier_id, title, cpv, cents, small_lot in _rows(connection, _LOTS):
        lots.setdefault(dossier_id, []).append(
            Lot(title, cpv, euros(cents) or Decimal(0), None if small_lot is None else bool(small_lot)))
    codes: dict[int, list[str]] = {}
    for dossier_id, code in _rows(connection, _CPV):
        codes.setdefault(dossier_id, []).append(code)
    figures = []
    for dossier_id, launch, estimated, kind, framework_max, insertion in _rows(connection, _DOSSIERS):
        dossier = Dossier(
            "", cpv=codes.get(dossier_id, []), estimated_amount_eur=euros(estimated) or Decimal(0),
            launch_date=_date(launch), lots=lots.get(dossier_id, []), clauses=clauses.get(dossier_id, []),
            insertion=insertion_factors(dossier_id, insertion), contract_kind=_CONTRACT_KINDS[kind or "marche"],
            framework_max_eur=euros(framework_max))
        figures.append(DossierFigures(dossier_id, dossier, dossier.amount_eur))
    return figures
