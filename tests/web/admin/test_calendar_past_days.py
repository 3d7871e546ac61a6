"""Deadlines already counted over a past day keep it: overrides start today (page and API alike)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.support.web import headers, login
from workflows.core.clock import to_local
from workflows.core.models.calendar import CalendarOverride

PAGE = "/admin/calendar"


def _overrides(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(CalendarOverride))


def test_a_past_day_cannot_be_overridden(client, users, store, clock):
    yesterday = (to_local(clock.now()).date() - timedelta(days=1)).isoformat()
    admin = headers(client, "admin1")
    refused = client.post("/api/v1/calendar/overrides", headers=admin, json={"day": yesterday, "working": False})
    assert refused.status_code == 422 and refused.get_json()["fields"]["day"].startswith("调整的日期不能早于今天")
    login(client, "admin1")
    page = client.post(PAGE, data={"day": yesterday, "kind": "rest", "note": "补录"})
    assert page.status_code == 422 and "调整的日期不能早于今天" in page.get_data(as_text=True)
    assert _overrides(store) == 0
    today = to_local(clock.now()).date().isoformat()
    assert client.post("/api/v1/calendar/overrides", headers=admin, json={"day": today, "working": False}).status_code == 201
    clock.set(clock.now() + timedelta(days=1))  # today's override is now history: it stays
    assert client.delete(f"/api/v1/calendar/overrides/{today}", headers=headers(client, "admin1")).status_code == 422
    assert _overrides(store) == 1
