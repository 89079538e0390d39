"""Pooled connections to the team server are pinged only after sitting idle (a saved round trip on
every unit of work while the buyer types); a connection the server dropped while it sat idle is
replaced before use. On a real server: its backend is terminated as a network loss would."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from achatsdesk.storage import server
from tests.postgres_server import admin_engine


def pooled_engine(url: str, after_s: float, monkeypatch):
    """The product's engine on the server, with this test's idle interval."""
    monkeypatch.setattr(server, "PING_AFTER_IDLE_S", after_s)
    return server.make_server_engine(server.ServerAddress.parse(url))


def backend_of(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def drop_backend(url: str, pid: int) -> None:
    admin = admin_engine(url)
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


def count_pings(engine, monkeypatch) -> list[int]:
    """Every ping of the dialect (``pool_pre_ping``'s or ours) appends 1."""
    pings: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def test_a_connection_used_moments_ago_is_not_pinged(server_database, monkeypatch):
    engine = pooled_engine(server_database.url, after_s=60, monkeypatch=monkeypatch)
    try:
        pings = count_pings(engine, monkeypatch)
        for _ in range(3):
            backend_of(engine)
        assert pings == []
    finally:
        engine.dispose()


def test_an_idle_connection_dropped_by_the_server_is_replaced_before_use(server_database, monkeypatch):
    engine = pooled_engine(server_database.url, after_s=0.0, monkeypatch=monkeypatch)  # every checkout counts as idle
    try:
        pings = count_pings(engine, monkeypatch)
        first = backend_of(engine)
        assert pings == []  # a new connection is not pinged
        drop_backend(server_database.url, first)
        assert backend_of(engine) != first  # the ping found it dead: a new connection, no error
        assert pings == [1]
    finally:
        engine.dispose()


def test_within_the_interval_a_dropped_connection_fails_once_then_the_pool_reconnects(server_database, monkeypatch):
    engine = pooled_engine(server_database.url, after_s=60, monkeypatch=monkeypatch)
    try:
        first = backend_of(engine)
        drop_backend(server_database.url, first)
        with pytest.raises(OperationalError), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert backend_of(engine) != first
    finally:
        engine.dispose()
