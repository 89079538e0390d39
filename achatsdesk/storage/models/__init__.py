"""All mapped tables. Importing this package registers every table on Base.metadata.

Each area owns its module: reference (CPV, NAF, communes), catalogue
(suppliers), dossiers (dossiers, checklist, reviews), clauses (user clauses),
execution (awards, realised figures, AGEC spend, published contracts).
"""

from achatsdesk.storage.models import (  # noqa: F401
    catalogue,
    clauses,
    dossiers,
    execution,
    reference,
)
from achatsdesk.storage.models.base import Base

__all__ = ["Base"]
