"""Hostile input for the "never a 500" tests: values that once crashed the server, and a count
of the rows a rejected request must not have written."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.cases import Case, CaseEvent, HumanTask, OutboxEvent
from workflows.core.models.letters import Letter
from workflows.core.models.records import CreditRecord
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.core.store import Store

HUGE_INT = 2 ** 63  # one above PostgreSQL's bigint
SURROGATE = "\ud800"
NUL = "a\x00b"
WRITTEN = (Case, CaseEvent, HumanTask, OutboxEvent, Letter, CreditRecord, CalendarOverride, TrainingSession,
           Enrollment)


def row_counts(store: Store) -> dict[str, int]:
    """Rows of every table a request may write (a rejected one must leave these unchanged)."""
    with store.read() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in WRITTEN}


def nested(depth: int) -> bytes:
    """A JSON body nested `depth` lists deep."""
    return b"[" * depth + b"]" * depth


def field_error(response, field: str, status: int = 400) -> dict:
    """The API.md error body, after checking the status and that it names `field` in Chinese."""
    body = response.get_json()
    assert response.status_code == status, (response.status_code, str(body)[:500])
    assert set(body) == {"error", "message", "fields"}, str(body)[:500]
    named = [key for key in body["fields"] if key == field or key.endswith("." + field)]  # form.reason names reason
    assert named, body
    assert any("\u4e00" <= char <= "\u9fff" for char in body["message"] + body["fields"][named[0]]), body
    return body


def raw_json(value) -> bytes:
    """JSON with every non-ASCII character escaped, so a lone surrogate travels as "\\ud800"
    (the test client cannot encode one as UTF-8)."""
    return json.dumps(value, ensure_ascii=True).encode()
