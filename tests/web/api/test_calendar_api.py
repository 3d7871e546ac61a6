"""`/api/v1/calendar`: deadlines for anyone; overrides by admins change the answer."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.web import bearer, token_for
from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.cases import CaseEvent

DEADLINE = "/api/v1/calendar/deadline"


def _due(client, start: str, days: int | str) -> dict:
    response = client.get(DEADLINE, query_string={"start": start, "days": days})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_deadline_skips_the_national_day_holiday(client):
    assert _due(client, "2026-09-30T10:00:00+08:00", 1) == {
        "due_date": "2026-10-08", "due_at": "2026-10-08T23:59:59+08:00", "provisional": False,
        "provisional_years": []}


def test_deadline_counts_a_make_up_sunday(client):
    assert _due(client, "2026-09-18T10:00:00+08:00", 1)["due_date"] == "2026-09-20"


def test_deadline_reads_utc_and_unencoded_offsets_as_the_same_moment(client):
    assert _due(client, "2026-09-30T02:00:00Z", 1)["due_date"] == "2026-10-08"
    raw = client.get(DEADLINE + "?start=2026-09-30T10:00:00+08:00&days=1")  # '+' became ' '
    assert raw.get_json()["due_date"] == "2026-10-08"


def test_bad_deadline_input_is_400_with_fields(client):
    cases = [({"start": "yesterday", "days": 1}, "start"), ({"days": 1}, "start"),
             ({"start": "2026-09-30", "days": "x"}, "days"), ({"start": "2026-09-30"}, "days"),
             ({"start": "2026-09-30", "days": -1}, "days")]
    for query, field in cases:
        response = client.get(DEADLINE, query_string=query)
        assert response.status_code == 400, query
        body = response.get_json()
        assert body["error"] == "invalid" and field in body["fields"], body


def test_admin_override_changes_the_deadline_and_removal_restores_it(client, users, store):
    headers = bearer(token_for(client, "admin1"))
    created = client.post("/api/v1/calendar/overrides", headers=headers,
                          json={"day": "2026-10-02", "working": True, "note": "演练补班"})
    assert created.status_code == 201
    assert created.get_json()["day"] == "2026-10-02" and created.get_json()["working"] is True
    assert _due(client, "2026-09-30T10:00:00+08:00", 1)["due_date"] == "2026-10-02"
    listed = client.get("/api/v1/calendar/overrides", headers=headers).get_json()
    assert [item["day"] for item in listed["items"]] == ["2026-10-02"]
    assert client.delete("/api/v1/calendar/overrides/2026-10-02", headers=headers).status_code == 204
    assert _due(client, "2026-09-30T10:00:00+08:00", 1)["due_date"] == "2026-10-08"
    with store.read() as session:
        kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
    assert kinds == ["calendar_override_set", "calendar_override_removed"]


def test_a_rest_day_override_pushes_the_deadline(client, users):
    headers = bearer(token_for(client, "admin1"))
    client.post("/api/v1/calendar/overrides", headers=headers,
                json={"day": "2026-10-08", "working": False})
    assert _due(client, "2026-09-30T10:00:00+08:00", 1)["due_date"] == "2026-10-09"


def test_bad_override_input_changes_nothing(client, users, store):
    headers = bearer(token_for(client, "admin1"))
    bad = [{"day": "2026-13-01", "working": True}, {"day": "2026-10-02", "working": "yes"},
           {"day": "2026-10-02", "working": True, "note": "长" * 201}, {"working": True},
           {"day": "2026-10-02", "working": True, "note": 5}]
    for body in bad:
        response = client.post("/api/v1/calendar/overrides", headers=headers, json=body)
        assert response.status_code == 400, body
        assert response.get_json()["fields"], body
    with store.read() as session:
        assert session.scalars(select(CalendarOverride)).all() == []
        assert session.scalars(select(CaseEvent)).all() == []


def test_removing_a_missing_override_is_404_and_a_bad_day_400(client, users):
    headers = bearer(token_for(client, "admin1"))
    missing = client.delete("/api/v1/calendar/overrides/2026-10-02", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"
    assert client.delete("/api/v1/calendar/overrides/tomorrow", headers=headers).status_code == 400


def test_non_admin_cannot_change_overrides(client, users):
    headers = bearer(token_for(client, "reviewer1"))
    post = client.post("/api/v1/calendar/overrides", headers=headers,
                       json={"day": "2026-10-02", "working": True})
    delete = client.delete("/api/v1/calendar/overrides/2026-10-02", headers=headers)
    assert post.status_code == delete.status_code == 403
    assert _due(client, "2026-09-30T10:00:00+08:00", 1)["due_date"] == "2026-10-08"
