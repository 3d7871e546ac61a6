"""PostgreSQL connection handling: reads without a transaction, pings only for idle connections."""
from __future__ import annotations

from sqlalchemy import select, text

from tests.conftest import PG_URL
from workflows.core import db
from workflows.core.db import make_engine
from workflows.core.models.people import Subject
from workflows.core.store import Store


def _backend_pid(store: Store) -> int:
    with store.read() as session:
        return session.scalar(text("SELECT pg_backend_pid()"))


def test_reads_run_without_a_transaction(pg_store):
    with pg_store.read() as session:
        session.scalar(select(Subject.code).limit(1))
        # Outside a transaction block PostgreSQL assigns no transaction id to the session.
        assert session.scalar(text("SELECT now() = statement_timestamp()")) is True


def test_statements_stay_prepared_across_reads(pg_store):
    """psycopg drops prepared statements on ROLLBACK; reads no longer end with one."""
    for _ in range(7):
        with pg_store.read() as session:
            session.scalars(select(Subject).where(Subject.code == "91350500MA2XXXXXX1")).all()
    with pg_store.read() as session:
        prepared = session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM subject" in statement for statement in prepared)


def test_writes_still_commit_atomically(pg_store, clock):
    with pg_store.write() as uow:
        uow.session.add(Subject(code="91350500MA2YYYYYY2", name="甲公司", category="legal_person",
                                created_at=clock.now()))
        uow.session.flush()
    with pg_store.read() as session:  # left without commit: rolled back
        assert session.get(Subject, "91350500MA2YYYYYY2") is None


def test_busy_connection_is_not_pinged(pg_store, monkeypatch):
    pings = []
    original = pg_store.engine.dialect.do_ping
    monkeypatch.setattr(pg_store.engine.dialect, "do_ping", lambda conn: pings.append(1) or original(conn))
    first = _backend_pid(pg_store)
    pings.clear()
    assert _backend_pid(pg_store) == first
    assert pings == []


def test_idle_connection_that_died_is_replaced(pg_store, monkeypatch):
    first = _backend_pid(pg_store)
    killer = make_engine(PG_URL)
    with killer.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}) is True
    killer.dispose()
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # the pooled connection now counts as idle
    second = _backend_pid(pg_store)  # pinged, found dead, replaced: no error reaches the caller
    assert second != first
