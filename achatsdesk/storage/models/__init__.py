"""All mapped tables. Importing this package registers every table on Base.metadata.

Each area owns its module: reference (CPV, NAF, communes), catalogue
(suppliers), dossiers (dossiers, checklist, reviews), clauses (user clauses),
execution (awards, realised figures, AGEC spend, published contracts), team
(who belongs to which service, the history of changes), catalogue_release (the
organisation's curated catalogue, published to the workstations), offline
(dossiers taken away from the team server, remembered by the local store).

``SHARED_TABLES`` are the tables a purchasing service shares on its server in
team mode (storage/database.py routes them there), the shortlists among them
(their lines name suppliers by catalogue key, not by local id); every other table
stays in the workstation's local SQLite file: the reference data and the catalogue
(large, read-mostly, searched through FTS5 and R*Tree) and the DECP contracts read
from files.
"""

from achatsdesk.storage.models import (  # noqa: F401
    catalogue,
    catalogue_release,
    clauses,
    dossiers,
    execution,
    offline,
    reference,
    team,
)
from achatsdesk.storage.models.base import Base

SHARED_TABLES = frozenset({
    "dossier", "dossier_cpv", "dossier_lot", "dossier_item", "dossier_clause", "dossier_review",
    "dossier_award", "execution_figure", "agec_spend", "user_clause",
    "team_member", "dossier_change", "catalogue_release", "shortlist", "shortlist_entry",
})

__all__ = ["SHARED_TABLES", "Base"]
