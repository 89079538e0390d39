"""Open the application's database: folders, schema migration, reference data."""

from __future__ import annotations

from achatsdesk.paths import AppPaths, app_paths
from achatsdesk.storage.database import Database
from achatsdesk.storage.migrate import ensure_schema
from achatsdesk.storage.reference_data import ensure_reference_data


def open_database(paths: AppPaths | None = None) -> Database:
    """The ready-to-use database: migrated (after a backup) and with its reference data.

    Raises NewerDatabaseError / MigrationError / ReferenceDataError with French messages.
    """
    paths = (paths or app_paths()).ensure()
    ensure_schema(paths.database, paths.backups)
    database = Database(paths.database)
    ensure_reference_data(database.engine)
    # The supplier catalogue comes after the reference data it points at (communes, NAF).
    from achatsdesk.services.catalogue import ensure_embedded_catalogue

    ensure_embedded_catalogue(database.engine)
    return database
