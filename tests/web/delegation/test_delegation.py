"""Out-of-office delegation: dates checked against the clock; while it runs, a task assigned
to the reviewer goes to the substitute, who sees and completes the reviewer's claimed tasks."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.api_cases import case_of, complete, file_request, open_task
from tests.support.web import bearer, login, page, token_for
from workflows.core.clock import to_local
from workflows.core.models.cases import CaseEvent


@pytest.fixture
def today(clock):
    return to_local(clock.now()).date()


@pytest.fixture
def case_id(client, make_record) -> int:
    return file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()["id"]


def away(client, today, substitute="reviewer2", start=0, end=3):
    return client.post("/desk/delegation", data={"substitute": substitute, "starts_on": (today + timedelta(days=start)).isoformat(),
                                                 "ends_on": (today + timedelta(days=end)).isoformat(), "note": "出差"})


def test_dates_are_checked_against_the_clock_and_each_other(client, today, world):
    login(client, "reviewer1")
    past = away(client, today, start=-1)
    assert past.status_code == 422 and "开始日期不能早于今天" in past.get_data(as_text=True)
    assert 'value="出差"' in past.get_data(as_text=True)  # the typed input is kept
    backwards = away(client, today, start=3, end=1)
    assert backwards.status_code == 422 and "结束日期不能早于开始日期" in backwards.get_data(as_text=True)
    assert away(client, today, substitute="reviewer1").status_code == 422
    assert away(client, today, substitute="applicant1").status_code == 422
    assert away(client, today).status_code == 302
    assert away(client, today, start=2, end=5).status_code == 422  # overlaps the first
    assert "出差" in page(client, "/desk/delegation")


def test_a_task_assigned_to_an_absent_reviewer_goes_to_the_substitute(client, today, case_id, store):
    login(client, "reviewer1")
    assert away(client, today).status_code == 302
    supervisor = token_for(client, "supervisor1")
    task = open_task(case_of(client, supervisor, case_id), "first_review")
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=bearer(supervisor), json={"assignee": "reviewer1"})
    assert answer.status_code == 200, answer.get_json()
    assert open_task(answer.get_json(), "first_review")["assignee"] == "reviewer2"
    event = [e for e in answer.get_json()["events"] if e["kind"] == "task_assigned"][-1]
    assert event["after"] == {"assignee": "reviewer2", "delegated_from": "reviewer1"}
    with store.read() as session:
        audited = session.execute(select(CaseEvent.actor, CaseEvent.after).where(CaseEvent.kind == "delegation_created")).all()
    assert [(actor, after["substitute"]) for actor, after in audited] == [("reviewer1", "reviewer2")]


def test_the_substitute_sees_and_completes_the_absent_reviewers_claimed_task(client, today, case_id):
    reviewer1 = token_for(client, "reviewer1")
    task = open_task(case_of(client, reviewer1, case_id), "first_review")
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=bearer(reviewer1)).status_code == 200
    reviewer2 = token_for(client, "reviewer2")
    mine = client.get("/api/v1/tasks?assignee=me", headers=bearer(reviewer2)).get_json()["items"]
    assert mine == []
    refused = complete(client, reviewer2, task["id"], case_of(client, reviewer2, case_id)["version"], decision="forward")
    assert refused.status_code == 409
    login(client, "reviewer1")
    assert away(client, today).status_code == 302
    mine = client.get("/api/v1/tasks?assignee=me", headers=bearer(reviewer2)).get_json()["items"]
    assert [t["id"] for t in mine] == [task["id"]]
    done = complete(client, reviewer2, task["id"], case_of(client, reviewer2, case_id)["version"], decision="forward")
    assert done.status_code == 200, done.get_json()
    assert next(t for t in done.get_json()["tasks"] if t["id"] == task["id"])["completed_by"] == "reviewer2"


def test_a_delegation_not_yet_begun_or_ended_routes_nothing(client, today, case_id):
    login(client, "reviewer1")
    assert away(client, today, start=1, end=2).status_code == 302  # begins tomorrow
    supervisor = token_for(client, "supervisor1")
    task = open_task(case_of(client, supervisor, case_id), "first_review")
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=bearer(supervisor), json={"assignee": "reviewer1"})
    assert open_task(answer.get_json(), "first_review")["assignee"] == "reviewer1"


def test_ending_a_delegation_stops_the_routing(client, today, case_id, runtime):
    login(client, "reviewer1")
    away(client, today)
    html = page(client, "/desk/delegation")
    delegation_id = int(html.split('data-delegation="', 1)[1].split('"', 1)[0])
    assert client.post(f"/desk/delegation/{delegation_id}/end").status_code == 302
    supervisor = token_for(client, "supervisor1")
    task = open_task(case_of(client, supervisor, case_id), "first_review")
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=bearer(supervisor), json={"assignee": "reviewer1"})
    assert open_task(answer.get_json(), "first_review")["assignee"] == "reviewer1"
    client.post("/logout")
    login(client, "reviewer2")
    assert client.post(f"/desk/delegation/{delegation_id}/end").status_code == 404  # not theirs
