"""Shared steps of the notification tests."""
from __future__ import annotations

from datetime import timedelta

from tests.support.api_cases import file_request, open_task
from tests.support.web import headers, login, token_for
from workflows.core.clock import to_local


def set_email(client, username: str, address: str, groups: tuple[str, ...] | None = None):
    """As the user, on the settings page (all groups the page offers ticked unless `groups`)."""
    login(client, username)
    page = client.get("/account/notifications").get_data(as_text=True)
    offered = [g for g in ("task_assigned", "task_due", "escalation", "case_update", "account")
               if f'value="{g}"' in page]
    answer = client.post("/account/notifications", data={"email": address, "mobile": "",
                                                          "email_groups": list(groups if groups is not None else offered)})
    client.post("/logout")
    return answer


def recent_decision(clock, days: int = 140) -> str:
    """A penalty decided `days` before today: past its minimum publicity, repairable."""
    return (to_local(clock.now()) - timedelta(days=days)).date().isoformat()


def filed_case(client, clock, make_record, days: int = 140) -> dict:
    answer = file_request(client, token_for(client, "applicant1"), [make_record(recent_decision(clock, days))])
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def assign(client, doc: dict, assignee: str = "reviewer1", bpmn_id: str = "first_review"):
    task = open_task(doc, bpmn_id)
    answer = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=headers(client, "supervisor1"),
                         json={"assignee": assignee})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()
