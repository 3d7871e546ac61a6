"""Provisional deadlines and confirmed years through the API (issue 14 §5)."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.web import bearer, token_for
from workflows.core.calendar import official_years
from workflows.core.models.calendar import CalendarYear
from workflows.core.models.cases import CaseEvent

ESTIMATED = max(official_years()) + 1  # first year without the State Council notice in `holidays`
YEARS = "/api/v1/calendar/years"


def _deadline(client, start: str, days: int) -> dict:
    response = client.get("/api/v1/calendar/deadline", query_string={"start": start, "days": days})
    assert response.status_code == 200
    return response.get_json()


def test_deadline_in_an_official_year_is_not_provisional(client):
    body = _deadline(client, "2026-09-30T10:00:00+08:00", 1)
    assert (body["provisional"], body["provisional_years"]) == (False, [])


def test_deadline_in_an_estimated_year_is_provisional_until_the_admin_confirms_it(client, users, store):
    start = f"{ESTIMATED - 1}-12-30T10:00:00+08:00"
    before = _deadline(client, start, 5)
    assert before["due_date"].startswith(str(ESTIMATED))
    assert (before["provisional"], before["provisional_years"]) == (True, [ESTIMATED])
    headers = bearer(token_for(client, "admin1"))
    created = client.post(YEARS, headers=headers, json={"year": ESTIMATED, "note": "通知已录入"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["status"] == "confirmed" and created.get_json()["confirmed_by"] == "admin1"
    assert _deadline(client, start, 5)["provisional"] is False
    listed = {item["year"]: item["status"] for item in client.get(YEARS, headers=headers).get_json()["items"]}
    assert listed[ESTIMATED] == "confirmed" and listed[ESTIMATED - 1] == "official"
    assert client.delete(f"{YEARS}/{ESTIMATED}", headers=headers).status_code == 204
    assert _deadline(client, start, 5)["provisional"] is True
    assert client.delete(f"{YEARS}/{ESTIMATED}", headers=headers).status_code == 404
    with store.read() as session:
        kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
    assert kinds == ["calendar_year_confirmed", "calendar_year_unconfirmed"]


def test_confirming_needs_an_api_key_and_the_calendar_permission(client, users, store):
    assert client.post(YEARS, json={"year": ESTIMATED}).status_code == 401
    assert client.get(YEARS).status_code == 401
    reviewer = bearer(token_for(client, "reviewer1"))
    refused = client.post(YEARS, headers=reviewer, json={"year": ESTIMATED})
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    assert client.delete(f"{YEARS}/{ESTIMATED}", headers=reviewer).status_code == 403
    with store.read() as session:
        assert session.scalars(select(CalendarYear)).all() == []


def test_bad_years_are_400_naming_the_field_and_write_nothing(client, users, store):
    headers = bearer(token_for(client, "admin1"))
    for body in ({}, {"year": "2027"}, {"year": True}, {"year": 1999}, {"year": ESTIMATED - 1},
                 {"year": ESTIMATED, "note": 5}, {"year": ESTIMATED, "note": "长" * 201}):
        response = client.post(YEARS, headers=headers, json=body)
        assert response.status_code == 400, (body, response.get_json())
        fields = response.get_json()["fields"]
        assert set(fields) <= {"year", "note"} and fields, (body, fields)
    with store.read() as session:
        assert session.scalars(select(CalendarYear)).all() == []
        assert session.scalars(select(CaseEvent)).all() == []
