"""Alembic environment: always run programmatically by storage/migrate.py,
which hands over an open connection.

The whole upgrade runs in ONE transaction, schema changes (DDL) included:
``transactional_ddl`` tells Alembic that SQLite can roll DDL back (it can, once
the sqlite3 driver's own implicit transaction handling is switched off, which
storage/migrate.py does). Every migration of the chain and the alembic_version
stamp commit together, so a kill or an error anywhere leaves the database
exactly at the revision it had before the upgrade (never an intermediate one
a later version of achatsdesk would have to finish).
"""  # noqa: I001 - import order below follows what env.py needs first

from __future__ import annotations

from alembic import context

from achatsdesk.storage.migrate import foreign_key_guard
from achatsdesk.storage.models import Base

config = context.config
connection = config.attributes["connection"]
on_sqlite = connection.dialect.name == "sqlite"
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=on_sqlite,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
    transactional_ddl=True,  # PostgreSQL rolls DDL back natively
    transaction_per_migration=False,  # one transaction for the whole chain (see above)
    # On SQLite foreign keys are off while migrating (a batch copy-and-move of a parent table
    # would otherwise cascade-delete its children); each migration is checked instead, inside
    # its transaction, for rows it left without their parent. PostgreSQL alters in place and
    # keeps enforcing them.
    on_version_apply=[foreign_key_guard(connection)] if on_sqlite else [],
)
with context.begin_transaction():
    context.run_migrations()
