"""Fixtures for the core tests that only make sense on PostgreSQL."""
from __future__ import annotations

import pytest

from tests.conftest import PG_URL, _postgres_available, _truncate_all
from workflows.core.db import make_engine
from workflows.core.store import Store


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
