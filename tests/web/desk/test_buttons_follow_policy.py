"""A button is shown exactly when the action behind it would be allowed (no button leads to a
403 or a refusal): templates ask the same policy and predicates as the operations."""
from __future__ import annotations

import pytest

from tests.support.api_cases import commit, file_request, through_acceptance
from tests.support.web import login, token_for
from workflows.core.models.cases import Case, HumanTask


@pytest.fixture
def repair_case(client, make_record) -> int:
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    return doc["id"]


@pytest.fixture
def commitment_case(client, world) -> int:
    doc = commit(client, token_for(client, "applicant1"), "certification").get_json()
    return through_acceptance(client, doc)["id"]


def signed_in(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def case_row(store, case_id: int) -> tuple[str, str | None, int]:
    with store.read() as session:
        case = session.get(Case, case_id)
        return case.status, case.outcome, case.version


def review_task(store, case_id: int) -> HumanTask:
    with store.read() as session:
        return session.query(HumanTask).filter_by(case_id=case_id, state="ready").one()


@pytest.mark.parametrize("which", ["repair_case", "commitment_case"])
def test_withdraw_button_shown_exactly_when_withdrawing_works(app, store, request, which):
    case_id = request.getfixturevalue(which)
    client = signed_in(app, "applicant1")
    shown = "withdraw-form" in client.get(f"/portal/cases/{case_id}").get_data(as_text=True)
    before = case_row(store, case_id)
    client.post(f"/portal/cases/{case_id}/withdraw")
    withdrawn = case_row(store, case_id)[:2] == ("completed", "withdrawn")
    assert shown == withdrawn == (which == "repair_case")
    if not withdrawn:
        assert case_row(store, case_id) == before


@pytest.mark.parametrize("username, allowed", [("reviewer1", False), ("supervisor1", True)])
def test_reassign_button_shown_exactly_when_reassigning_works(app, store, repair_case, username, allowed):
    task = review_task(store, repair_case)
    client = signed_in(app, username)
    page = client.get(f"/desk/cases/{repair_case}").get_data(as_text=True)
    assert (f"/desk/tasks/{task.id}/assign" in page) is allowed
    client.post(f"/desk/tasks/{task.id}/assign", data={"assignee": "reviewer2"})
    assert (review_task(store, repair_case).assignee == "reviewer2") is allowed


@pytest.mark.parametrize("username, allowed", [("reviewer1", False), ("supervisor1", True)])
def test_bulk_reassign_shown_exactly_when_allowed(app, store, repair_case, username, allowed):
    task = review_task(store, repair_case)
    client = signed_in(app, username)
    assert ('id="bulk-form"' in client.get("/desk/").get_data(as_text=True)) is allowed
    response = client.post("/desk/tasks/reassign", data={"assignee": "reviewer2", "task_ids": [task.id]})
    assert (response.status_code == 302) is allowed
    assert (review_task(store, repair_case).assignee == "reviewer2") is allowed


@pytest.mark.parametrize("username, allowed", [("dept1", False), ("reviewer1", True)])
def test_walk_in_link_shown_exactly_to_counter_staff(app, world, username, allowed):
    client = signed_in(app, username)
    assert ("/desk/objections/new" in client.get("/desk/").get_data(as_text=True)) is allowed
    assert (client.get("/desk/objections/new").status_code == 200) is allowed
