"""What the indicators read of the dossiers, in two set-based queries instead of one ORM load per dossier.

One query for the dossiers out of the Corbeille (launch date and the amount the
law looks at, as Dossier.amount_eur says it: a framework agreement's maximum,
else the sum of the lots once lot amounts are given, else the estimate) and one for every chosen clause with its variables. Reviews and
checklist answers are not read: no indicator uses them.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, Date, Integer, text

from achatsdesk.domain.amounts import to_amount
from achatsdesk.domain.dossier import ClauseSelection

_DOSSIERS = text("""
SELECT d.id, d.launch_date,
       CASE
         WHEN d.contract_kind = 'accord_cadre' AND coalesce(d.framework_max_cents, 0) > 0 THEN d.framework_max_cents
         WHEN coalesce(l.cents, 0) > 0 THEN l.cents
         ELSE d.estimated_amount_cents
       END AS amount_cents
FROM dossier AS d
LEFT JOIN (SELECT dossier_id, sum(amount_cents) AS cents FROM dossier_lot GROUP BY dossier_id) AS l
       ON l.dossier_id = d.id
WHERE d.deleted_at IS NULL
ORDER BY d.id
""").columns(id=Integer, launch_date=Date, amount_cents=Integer)  # typed: SQLite gives dates as text
_CLAUSES = text("SELECT dossier_id, clause_id, version, variables_json, lot FROM dossier_clause "
                "ORDER BY dossier_id, position")


@dataclass(frozen=True)
class DossierFigures:
    """The part of a dossier the indicators count (domain/indicators.py)."""

    id: int
    launch_date: date | None
    amount_eur: Decimal
    clauses: list[ClauseSelection] = field(default_factory=list)


def read_dossier_figures(connection: Connection,
                         variables_of: Collection[str] | None = None) -> list[DossierFigures]:
    """`variables_of`: the clause ids whose variables are read (decoding every clause's JSON is most of
    the time otherwise); None reads them all. `connection`: one of the engine holding the dossiers
    (Database.shared_engine)."""
    clauses: dict[int, list[ClauseSelection]] = {}
    for dossier_id, clause_id, version, variables, lot in connection.execute(_CLAUSES):
        wanted = variables_of is None or clause_id in variables_of
        clauses.setdefault(dossier_id, []).append(
            ClauseSelection(clause_id, version or "", json.loads(variables or "{}") if wanted else {}, lot)
        )
    return [
        DossierFigures(dossier_id, launch, to_amount(Decimal(int(cents or 0)).scaleb(-2)),
                       clauses.get(dossier_id, []))
        for dossier_id, launch, cents in connection.execute(_DOSSIERS)
    ]
