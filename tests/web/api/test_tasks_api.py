"""Task and case routes over HTTP: list, claim, complete with version, 409s, visibility."""
from __future__ import annotations

import pytest

from tests.support.flow_kinds import DATA_DIR
from tests.support.subjects import COMPANY as SUBJECT
from tests.support.web import headers
from workflows.people.access import Actor


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def test_list_claim_complete(client, case):
    rev = headers(client, "reviewer1")
    listed = client.get("/api/v1/tasks", headers=rev).get_json()
    [task] = listed["items"]
    assert (task["name"], task["lane"], task["due_at"], listed["next_cursor"]) == (
        "审核", "reviewer", "2026-10-08T23:59:59+08:00", None)
    claimed = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=rev)
    assert claimed.status_code == 200 and claimed.get_json()["tasks"][0]["assignee"] == "reviewer1"
    assert client.get("/api/v1/tasks?assignee=me", headers=rev).get_json()["items"][0]["id"] == task["id"]
    assert client.get("/api/v1/tasks?unclaimed=1", headers=rev).get_json()["items"] == []
    version = claimed.get_json()["version"]
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=rev,
                       json={"data": {"decision": "approve"}, "version": version})
    body = done.get_json()
    assert done.status_code == 200, body
    assert (body["status"], body["outcome"], body["version"]) == ("completed", "approved", version + 1)
    assert [e["kind"] for e in body["events"]][-2:] == ["outcome", "case_closed"]
    again = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=rev,
                        json={"data": {"decision": "approve"}, "version": version + 1})
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"


def test_stale_version_is_409_and_changes_nothing(client, case):
    rev = headers(client, "reviewer1")
    [task] = client.get("/api/v1/tasks", headers=rev).get_json()["items"]
    stale = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=rev,
                        json={"data": {"decision": "approve"}, "version": 0})
    assert stale.status_code == 409 and "版本" in stale.get_json()["message"]
    missing = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=rev, json={"data": {}})
    assert missing.status_code == 400 and "version" in missing.get_json()["fields"]
    state = client.get(f"/api/v1/cases/{case.id}", headers=rev).get_json()
    assert (state["status"], state["version"]) == ("running", 1)


def test_claimed_by_other_and_wrong_lane(client, case):
    rev1, rev2 = headers(client, "reviewer1"), headers(client, "reviewer2")
    app1 = headers(client, "applicant1")
    [task] = client.get("/api/v1/tasks", headers=rev1).get_json()["items"]
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=rev1).status_code == 200
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=rev2).status_code == 409
    wrong = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=app1,
                        json={"data": {"decision": "approve"}, "version": 2})
    assert wrong.status_code == 403 and wrong.get_json()["error"] == "forbidden"
    assert client.get("/api/v1/tasks", headers=app1).get_json()["items"] == []


def test_supervisor_assigns(client, case):
    sup = headers(client, "supervisor1")
    [task] = client.get("/api/v1/tasks", headers=sup).get_json()["items"]
    assigned = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=sup, json={"assignee": "reviewer2"})
    assert assigned.status_code == 200 and assigned.get_json()["tasks"][0]["assignee"] == "reviewer2"
    refused = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=headers(client, "reviewer1"),
                          json={"assignee": "reviewer1"})
    assert refused.status_code == 403
    bad = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=sup, json={"assignee": "applicant1"})
    assert bad.status_code == 400 and "assignee" in bad.get_json()["fields"]


def test_case_visible_to_its_subject_only(client, case):
    own = client.get(f"/api/v1/cases/{case.id}", headers=headers(client, "applicant1"))
    assert own.status_code == 200 and own.get_json()["subject"]["name"] == "泉州市清源食品有限公司"
    other = client.get(f"/api/v1/cases/{case.id}", headers=headers(client, "applicant2"))
    assert other.status_code == 404 and other.get_json()["error"] == "not_found"
    assert client.get(f"/api/v1/cases/{case.id}").status_code == 401


def test_pagination_and_bad_parameters(client, runtime, people):
    reviewer = Actor("reviewer1", frozenset({"reviewer"}))
    for _ in range(3):
        runtime.engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    rev = headers(client, "reviewer1")
    first = client.get("/api/v1/tasks?limit=2", headers=rev).get_json()
    second = client.get(f"/api/v1/tasks?limit=2&cursor={first['next_cursor']}", headers=rev).get_json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    assert {t["id"] for t in first["items"]}.isdisjoint({t["id"] for t in second["items"]})
    assert client.get("/api/v1/tasks?limit=0", headers=rev).status_code == 400
    assert client.get("/api/v1/tasks?cursor=%%%", headers=rev).status_code == 400


def test_openapi_lists_task_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/tasks", "/api/v1/tasks/{task_id}/complete", "/api/v1/cases/{case_id}"} <= set(paths)
