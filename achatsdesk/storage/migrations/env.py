"""Alembic environment: always run programmatically by storage/migrate.py,
which hands over an open connection."""

from __future__ import annotations

from alembic import context

from achatsdesk.storage.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
