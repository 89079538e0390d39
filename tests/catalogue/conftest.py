"""Catalogue fixtures: the migrated database with the shipped catalogue loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue"


@pytest.fixture
def catalogue_db(database):
    from achatsdesk.services.catalogue import ensure_embedded_catalogue

    ensure_embedded_catalogue(database.engine)  # a no-op once bootstrap loads it
    return database


def supplier_count(database) -> int:
    with database.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM supplier").scalar_one()
