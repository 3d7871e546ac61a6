"""The audit log is append-only in the database itself (migration 0010a), on both backends."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from tests.support.db import count
from workflows.core.models.cases import CaseEvent

AT = datetime(2026, 9, 30, 2, tzinfo=UTC)


def _insert(store) -> int:
    with store.write() as uow:
        event = CaseEvent(case_id=None, at=AT, actor="admin1", kind="calendar_override_set", summary="原文")
        uow.session.add(event)
        uow.commit()
    return event.id


def test_an_insert_works(store):
    _insert(store)
    assert count(store, CaseEvent) == 1


@pytest.mark.parametrize("statement", [
    "UPDATE case_event SET summary = '改过' WHERE id = :id",
    "DELETE FROM case_event WHERE id = :id",
])
def test_update_and_delete_are_refused(store, statement):
    event_id = _insert(store)
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement), {"id": event_id})
    with store.read() as session:
        assert session.get(CaseEvent, event_id).summary == "原文"


def test_an_orm_change_is_refused(store):
    event_id = _insert(store)
    with pytest.raises(DatabaseError, match="append-only"), store.write() as uow:
        uow.session.get(CaseEvent, event_id).summary = "改过"
        uow.commit()
    assert count(store, CaseEvent, CaseEvent.summary == "原文") == 1


def test_truncate_is_refused_on_postgresql(pg_store):
    _insert(pg_store)
    with pytest.raises(DatabaseError, match="append-only"), pg_store.engine.begin() as conn:
        conn.execute(text("TRUNCATE case_event"))
    assert count(pg_store, CaseEvent) == 1
