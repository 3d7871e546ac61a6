"""Statistics reads on PostgreSQL are planned for their own values (a generic plan of a prepared
statement made the regime filter 2–3 × slower), and the pooled connection is handed back with
the setting it had, also when the read fails."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from workflows.statistics.operations import analytical_read


def _setting(dbapi_connection) -> str:
    """Read on the pooled connection itself (it may have begun a transaction: ended again)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SHOW plan_cache_mode")
    value = cursor.fetchone()[0]
    dbapi_connection.rollback()
    return value


def test_statistics_plan_each_statement_and_leave_the_connection_as_it_was(runtime):
    store = runtime.store
    if store.engine.dialect.name != "postgresql":
        with analytical_read(store) as session:  # nothing to set: SQLite plans every statement
            assert session.execute(text("SELECT 1")).scalar() == 1
        return
    with analytical_read(store) as session:
        assert session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        pooled = session.connection().connection.dbapi_connection
    assert _setting(pooled) == "auto"
    with pytest.raises(ZeroDivisionError):
        with analytical_read(store) as session:
            failing = session.connection().connection.dbapi_connection
            raise ZeroDivisionError
    assert _setting(failing) == "auto"
