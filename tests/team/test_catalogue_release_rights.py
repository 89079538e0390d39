"""The organisation's catalogue releases under the team rules: every buyer loads them, only an
administrator publishes one, even with raw SQL through the buyer's own connection."""

from __future__ import annotations

import gzip

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from achatsdesk.errors import StorageError
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.catalogue_publication import latest_release, publish_catalogue
from tests.team.conftest import add_person


def test_only_an_administrator_publishes_and_every_buyer_reads(team, local_home, capsys):
    buyer = add_person(capsys, team, "acheteuse", "acheteur", "Achats")
    admin = add_person(capsys, team, "admin", "admin")

    as_buyer = open_database(local_home, server=team.url_of(buyer))
    with pytest.raises(StorageError, match="vos droits"):
        publish_catalogue(as_buyer)
    with as_buyer.shared_engine.connect() as conn, pytest.raises(ProgrammingError) as refused:
        conn.execute(text("INSERT INTO catalogue_release (version, published_at, published_by, suppliers, "
                          "corrections, payload) VALUES (1, localtimestamp(0), 'x', 0, 0, :p)"),
                     {"p": gzip.compress(b"")})
    assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
    assert latest_release(as_buyer) is None
    as_buyer.dispose()

    as_admin = open_database(local_home, server=team.url_of(admin))
    release = publish_catalogue(as_admin)
    assert release.version == 1 and release.published_by == admin
    as_admin.dispose()

    as_buyer = open_database(local_home, server=team.url_of(buyer))
    assert latest_release(as_buyer).version == 1  # read by every buyer
    as_buyer.dispose()
