"""`/api/v1/delegations`: the API twin of out-of-office delegation — create, list, end."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.api_cases import case_of, file_request, open_task
from tests.support.web import bearer, token_for
from workflows.core.clock import to_local

PATH = "/api/v1/delegations"


@pytest.fixture
def today(clock):
    return to_local(clock.now()).date()


def away(client, token, today, substitute="reviewer2", start=0, end=3, **more):
    body = {"substitute": substitute, "starts_on": (today + timedelta(days=start)).isoformat(),
            "ends_on": (today + timedelta(days=end)).isoformat(), **more}
    return client.post(PATH, json=body, headers=bearer(token))


def test_create_list_and_end_over_the_api_routes_then_stops(client, today, world, make_record):
    reviewer1, reviewer2 = token_for(client, "reviewer1"), token_for(client, "reviewer2")
    made = away(client, reviewer1, today, note="出差")
    body = made.get_json()
    assert made.status_code == 201, body
    assert (body["username"], body["substitute"], body["note"], body["ended_at"]) == ("reviewer1", "reviewer2", "出差", None)
    assert (body["starts_on"], body["ends_on"]) == (today.isoformat(), (today + timedelta(days=3)).isoformat())
    for token in (reviewer1, reviewer2):  # the owner and the substitute both see it
        listed = client.get(PATH, headers=bearer(token)).get_json()["items"]
        assert [d["id"] for d in listed] == [body["id"]]
    case_id = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()["id"]
    supervisor = token_for(client, "supervisor1")
    task = open_task(case_of(client, supervisor, case_id), "first_review")
    assign = {"assignee": "reviewer1"}
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=bearer(supervisor), json=assign)
    assert open_task(answer.get_json(), "first_review")["assignee"] == "reviewer2"
    assert client.post(f"{PATH}/{body['id']}/end", headers=bearer(reviewer2)).status_code == 404  # not theirs
    ended = client.post(f"{PATH}/{body['id']}/end", headers=bearer(reviewer1))
    assert ended.status_code == 200 and ended.get_json()["ended_by"] == "reviewer1"
    assert client.get(PATH, headers=bearer(reviewer1)).get_json()["items"] == []
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=bearer(supervisor), json=assign)
    assert open_task(answer.get_json(), "first_review")["assignee"] == "reviewer1"


def test_refusals_are_chinese_with_their_field(client, today, world):
    reviewer1 = token_for(client, "reviewer1")
    cases = [({"start": -1}, 422, "starts_on", "开始日期不能早于今天"),
             ({"start": 3, "end": 1}, 422, "ends_on", "结束日期不能早于开始日期"),
             ({"substitute": "reviewer1"}, 422, "substitute", "请选择其他同事"),
             ({"substitute": ""}, 400, "substitute", "代办人")]
    for changes, status, field, message in cases:
        answer = away(client, reviewer1, today, **changes)
        assert answer.status_code == status and message in answer.get_json()["fields"][field], (changes, answer.get_json())
    assert client.get(PATH, headers=bearer(reviewer1)).get_json()["items"] == []


def test_applicants_may_not_delegate(client, today, world):
    applicant = token_for(client, "applicant1")
    assert away(client, applicant, today).status_code == 403
    assert client.get(PATH, headers=bearer(applicant)).status_code == 403
