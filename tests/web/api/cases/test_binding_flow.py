"""Binding requests through the API: filed by an applicant token with base64 documents, refused
cleanly otherwise; the filer's supplement step in its inbox; the review's and the supplement's
working-day timers (SQLite and PostgreSQL)."""
from __future__ import annotations

import base64

from sqlalchemy import select

from tests.support.bindings import AGENT_UNTIL, api_documents, binding_cases, open_step
from tests.support.subjects import COMPANY
from tests.support.web import headers
from workflows.core.models.cases import Notification
from workflows.people.access import Actor

NAME = "泉州市清源食品有限公司"
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))


def body(**form) -> dict:
    base = {"subject_name": NAME, "relation": "agent", "valid_until": AGENT_UNTIL,
            "documents": api_documents("business_licence", "authorisation", "agent_id")}
    return {"kind": "binding", "subject_code": COMPANY, "form": {**base, **form}}


def test_an_applicant_token_files_a_binding_request(client, store, newcomer):
    answer = client.post("/api/v1/cases", json=body(), headers=headers(client, newcomer))
    assert answer.status_code == 201, answer.get_json()
    case = answer.get_json()
    assert (case["kind"], case["status"], case["subject"]["name"]) == ("binding", "running", NAME)
    [task] = client.get("/api/v1/tasks", headers=headers(client, "reviewer1")).get_json()["items"]
    assert (task["case_id"], task["bpmn_id"], task["lane"]) == (case["id"], "review", "reviewer")
    assert task["due_at"] is not None
    files = client.get(f"/api/v1/cases/{case['id']}/attachments", headers=headers(client, newcomer)).get_json()
    assert sorted(f["purpose"] for f in files["items"]) == ["agent_id", "authorisation", "business_licence"]


def test_api_refusals_are_clean(client, store, newcomer):
    token = headers(client, newcomer)
    missing = client.post("/api/v1/cases", json=body(documents=[]), headers=token)
    assert missing.status_code == 400 and {"business_licence", "authorisation", "agent_id"} <= set(
        missing.get_json()["fields"])
    garbled = client.post("/api/v1/cases", json=body(documents=[{"purpose": "business_licence",
                                                                 "content_base64": "%%%"}]), headers=token)
    assert garbled.status_code == 400 and "documents" in garbled.get_json()["fields"]
    not_a_file = [{"purpose": "business_licence", "filename": "x.pdf",
                   "content_base64": base64.b64encode(b"hello").decode()}]
    assert client.post("/api/v1/cases", json=body(documents=not_a_file), headers=token).status_code == 400
    assert client.post("/api/v1/cases", json={**body(), "form": "x"}, headers=token).status_code == 400
    staff = client.post("/api/v1/cases", json=body(), headers=headers(client, "reviewer1"))
    assert staff.status_code == 403
    assert binding_cases(store) == []


def test_the_filer_alone_gets_the_supplement_step(client, runtime, store, newcomer):
    case_id = client.post("/api/v1/cases", json=body(), headers=headers(client, newcomer)).get_json()["id"]
    review = open_step(store, case_id, "review")
    runtime.engine.complete_task(review.id, {"decision": "supplement", "reason": "缺少公章"}, REVIEWER)
    [mine] = client.get("/api/v1/tasks", headers=headers(client, newcomer)).get_json()["items"]
    assert (mine["bpmn_id"], mine["lane"]) == ("supplement", "filer")
    assert client.get("/api/v1/tasks", headers=headers(client, "applicant1")).get_json()["items"] == []
    holder = client.post(f"/api/v1/tasks/{mine['id']}/complete", headers=headers(client, "applicant1"),
                         json={"data": {"note": "x"}, "version": binding_cases(store)[0].version})
    assert holder.status_code in (403, 404)
    done = client.post(f"/api/v1/tasks/{mine['id']}/complete", headers=headers(client, newcomer),
                       json={"data": {"note": "已补充公章"}, "version": binding_cases(store)[0].version})
    assert done.status_code == 200, done.get_json()
    assert open_step(store, case_id, "review") is not None


def test_an_overdue_review_is_escalated_and_an_unanswered_supplement_lapses(client, runtime, store, clock, newcomer):
    case_id = client.post("/api/v1/cases", json=body(), headers=headers(client, newcomer)).get_json()["id"]
    clock.advance(days=20)
    runtime.engine.fire_due_timers()
    assert open_step(store, case_id, "review").overdue
    with store.read() as session:
        assert session.scalars(select(Notification).where(Notification.role == "supervisor",
                                                          Notification.case_id == case_id)).first() is not None
    review = open_step(store, case_id, "review")
    runtime.engine.complete_task(review.id, {"decision": "supplement", "reason": "缺少公章"}, REVIEWER)
    clock.advance(days=30)
    runtime.engine.fire_due_timers()
    [case] = binding_cases(store)
    assert (case.status, case.outcome) == ("completed", "withdrawn")
