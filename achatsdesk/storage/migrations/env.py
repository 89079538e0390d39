"""Alembic environment: always run programmatically by storage/migrate.py,
which hands over an open connection.

Each migration runs in its own transaction, schema changes (DDL) included:
``transactional_ddl`` tells Alembic that SQLite can roll DDL back (it can, once
the sqlite3 driver's own implicit transaction handling is switched off, which
storage/migrate.py does), and ``transaction_per_migration`` commits each
revision together with its alembic_version stamp. A kill or an error halfway
leaves the database exactly at the revision before the failing migration.
"""  # noqa: I001 - import order below follows what env.py needs first

from __future__ import annotations

from alembic import context

from achatsdesk.storage.migrate import foreign_key_guard
from achatsdesk.storage.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
    transactional_ddl=True,
    transaction_per_migration=True,
    # Foreign keys are off while migrating (a batch copy-and-move of a parent table would
    # otherwise cascade-delete its children); each migration is checked instead, inside its
    # transaction, for rows it left without their parent.
    on_version_apply=[foreign_key_guard(connection)],
)
with context.begin_transaction():
    context.run_migrations()
