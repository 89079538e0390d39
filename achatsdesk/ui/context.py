"""What every page of the shell is given: the database, settings and services."""

from __future__ import annotations

from dataclasses import dataclass

from achatsdesk.paths import AppPaths
from achatsdesk.services.reference import ReferenceService
from achatsdesk.storage.database import Database
from achatsdesk.ui.settings import Settings


@dataclass
class ShellContext:
    paths: AppPaths
    database: Database
    settings: Settings
    reference: ReferenceService
