"""`GET /api/v1/audit`: the audit log's API twin, same filters, API.md pages and errors."""
from __future__ import annotations

import pytest

from tests.support.audit import add_events, seed_audit
from tests.support.subjects import OTHER
from tests.support.web import PASSWORD, headers
from workflows.people.users import create_user

URL = "/api/v1/audit"


@pytest.fixture
def auditor(client, store, clock, users) -> dict[str, str]:
    with store.write() as uow:
        create_user(uow.session, "auditor1", PASSWORD, ["auditor"], clock.now())
        uow.commit()
    return headers(client, "auditor1")


def test_filters_and_entry_fields(client, store, auditor):
    seeded = seed_audit(store)
    body = client.get(URL, query_string={"subject_code": OTHER}, headers=auditor).get_json()
    assert body["next_cursor"] is None
    [entry] = body["items"]
    assert entry == {"id": seeded["events"][2], "at": "2026-08-12T09:00:00+08:00", "actor": "applicant2",
                     "actor_name": "applicant2", "kind": "task_completed", "case_id": seeded["cases"][1], "subject_code": OTHER,
                     "summary": "提交补正材料", "before": None, "after": None}
    found = client.get(URL, query_string={"until": "2026-08-10"}, headers=auditor).get_json()["items"]
    assert [e["id"] for e in found] == [seeded["events"][0]]


def test_pages_with_limit_and_cursor(client, store, auditor):
    ids = add_events(store, 3)
    first = client.get(URL, query_string={"actor": "bulk1", "limit": 2}, headers=auditor).get_json()
    assert [e["id"] for e in first["items"]] == [ids[2], ids[1]] and first["next_cursor"] == str(ids[1])
    rest = client.get(URL, query_string={"actor": "bulk1", "cursor": first["next_cursor"]}, headers=auditor)
    assert [e["id"] for e in rest.get_json()["items"]] == [ids[0]] and rest.get_json()["next_cursor"] is None


@pytest.mark.parametrize(("args", "field"), [
    ({"case_id": "abc"}, "case_id"), ({"since": "yesterday"}, "since"), ({"cursor": "x"}, "cursor"),
    ({"kind": "k" * 49}, "kind"), ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
])
def test_bad_input_answers_in_the_api_error_shape(client, auditor, args, field):
    response = client.get(URL, query_string=args, headers=auditor)
    body = response.get_json()
    assert response.status_code == 400 and body["error"] == "invalid"
    assert set(body) == {"error", "message", "fields"} and field in body["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])  # Chinese


def test_only_auditors_and_admins(client, auditor):
    assert client.get(URL).status_code == 401
    refused = client.get(URL, headers=headers(client, "reviewer1"))
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    assert client.get(URL, headers=headers(client, "admin1")).status_code == 200


def test_openapi_describes_it(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"case_id", "subject_code", "actor", "kind",
                                                            "since", "until", "limit", "cursor"}
