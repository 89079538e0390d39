"""What every page of the shell is given: the database, settings and services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from achatsdesk.paths import AppPaths
from achatsdesk.ui.settings import Settings

if TYPE_CHECKING:  # SQLAlchemy stays off the path to the first paint
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.storage.database import Database


@dataclass
class ShellContext:
    """database and reference are None only while start-up is still opening the
    database; section pages are built after, so they always see them set."""

    paths: AppPaths
    database: Database | None
    settings: Settings
    reference: ReferenceService | None = None
