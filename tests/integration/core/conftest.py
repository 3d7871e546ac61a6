"""Fixtures for the core tests that only make sense on PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import PG_URL, SQLITE_ONLY, _postgres_available, _truncate_all
from workflows.core.db import make_engine
from workflows.core.store import Store

SCRATCH_SCHEMA = "migration_scratch"


@pytest.fixture
def pg_store():
    """PostgreSQL only (skipped, loudly, when the server is unreachable): connection handling,
    TRUNCATE — things SQLite does not have."""
    if not _postgres_available():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    _truncate_all(PG_URL)
    store = Store(make_engine(PG_URL, pool_size=1, max_overflow=0))
    yield store
    store.engine.dispose()


@pytest.fixture(params=["sqlite"] if SQLITE_ONLY else ["sqlite", "postgresql"])
def empty_db_url(request, tmp_path):
    """An empty database to migrate step by step: a new SQLite file, or on PostgreSQL a schema of
    its own (the shared `public` schema stays migrated to head for the other tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    if not _postgres_available():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
    yield f"{PG_URL}?options=-csearch_path%3D{SCRATCH_SCHEMA}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
    engine.dispose()
