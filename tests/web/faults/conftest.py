"""PostgreSQL only: connections that die under the app (SQLite has no backends to kill)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PG_URL, _postgres_available, _truncate_all
from workflows.core import db
from workflows.core.config import PROJECT_ROOT


@pytest.fixture
def db_url(monkeypatch) -> str:
    """The shared `db_url`, PostgreSQL only (skipped, loudly, when the server is unreachable).
    Pooled connections are never pinged here: a terminated one reaches the request for sure."""
    if not _postgres_available():
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}")
    _truncate_all(PG_URL)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    return PG_URL


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"
