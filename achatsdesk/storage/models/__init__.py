"""All mapped tables. Importing this package registers every table on Base.metadata.

Each area owns its module: reference (CPV, NAF, communes), catalogue
(suppliers), dossiers (dossiers, checklist, reviews), clauses (user clauses).
"""

from achatsdesk.storage.models import catalogue, clauses, dossiers, reference  # noqa: F401
from achatsdesk.storage.models.base import Base

__all__ = ["Base"]
