"""An objection on a record pauses a running repair of that record at whichever step it waits
(office review, 本级审核, the department's decision, the applicant's supplement, the training
certificate) and resumes it there when the objection closes, the step's period counted afresh
(DOMAIN.md §C, issue 14 §3). Over HTTP on SQLite and PostgreSQL with the frozen clock."""
from __future__ import annotations

import pytest

from tests.support.api_cases import SUBJECT_A, case_of, complete, file_request, forward, open_task
from tests.support.web import bearer, token_for


def _object_to(client, record_id):
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"target": "content", "claim": "罚款金额应为二万元，公示为二十万元", "evidence": "处罚决定书原件"}}
    done = client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")), json=body)
    assert done.status_code == 201, done.get_json()
    return done.get_json()


def _withdraw(client, objection):
    done = client.post(f"/api/v1/cases/{objection['id']}/withdraw", headers=bearer(token_for(client, "applicant1")))
    assert done.status_code == 200, done.get_json()


def _ready(doc):
    return [t["bpmn_id"] for t in doc["tasks"] if t["state"] == "ready"]


def _paused_then_resumed(client, clock, repair, record_id, step, resume_at):
    """Object while the repair waits at `step`; nothing is open meanwhile; resume at `resume_at`."""
    assert step in _ready(repair)
    objection = _object_to(client, record_id)
    paused = case_of(client, token_for(client, "supervisor1"), repair["id"])
    assert paused["status"] == "running" and _ready(paused) == []
    assert "message_ignored" not in [e["kind"] for e in paused["events"]]
    clock.set(resume_at)
    _withdraw(client, objection)
    resumed = case_of(client, token_for(client, "supervisor1"), repair["id"])
    assert _ready(resumed) == [step]
    return resumed


def test_pause_at_the_offices_first_review(client, clock, make_record):
    record_id = make_record("2026-05-10")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    resumed = _paused_then_resumed(client, clock, repair, record_id, "first_review", "2026-10-12T10:00:00+08:00")
    assert open_task(resumed, "first_review")["due_at"] == "2026-10-13T23:59:59+08:00"  # 1 wd from the resumption


def test_pause_at_the_departments_decision(client, clock, make_record):
    record_id = make_record("2026-05-10")
    repair = forward(client, file_request(client, token_for(client, "applicant1"), [record_id]).get_json())
    assert open_task(repair, "department_decision")["due_at"] == "2026-10-10T23:59:59+08:00"
    resumed = _paused_then_resumed(client, clock, repair, record_id, "department_decision", "2026-10-12T10:00:00+08:00")
    task = open_task(resumed, "department_decision")
    assert task["due_at"] == "2026-10-15T23:59:59+08:00" and task["lane"] == "department"  # 3 wd afresh
    done = complete(client, token_for(client, "dept1"), task["id"], resumed["version"], decision="approve").get_json()
    assert done["outcome"] == "approved"


def test_pause_at_the_supplement_stops_its_expiry(client, runtime, clock, make_record):
    record_id = make_record("2026-05-10")
    rev = token_for(client, "reviewer1")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    repair = complete(client, rev, open_task(repair, "first_review")["id"], repair["version"], decision="supplement",
                      reason="缺少缴款凭证").get_json()
    assert open_task(repair, "supplement")["due_at"] == "2026-10-13T23:59:59+08:00"
    objection = _object_to(client, record_id)
    clock.set("2026-10-14T00:00:01+08:00")  # past the supplement period: no expiry while paused
    runtime.engine.fire_due_timers()  # the objection's own review escalates; the repair has no timer
    paused = case_of(client, token_for(client, "reviewer1"), repair["id"])  # tokens last hours, not days
    assert (paused["status"], paused["outcome"], _ready(paused)) == ("running", None, [])
    clock.set("2026-10-14T09:00:00+08:00")
    _withdraw(client, objection)
    resumed = case_of(client, token_for(client, "reviewer1"), repair["id"])
    assert _ready(resumed) == ["supplement"]
    assert open_task(resumed, "supplement")["due_at"] == "2026-10-21T23:59:59+08:00"  # 5 wd afresh


def test_pause_at_the_training_certificate(client, clock, make_record):
    clock.set("2023-10-09T10:00:00+08:00")
    record_id = make_record("2023-03-01", severity="serious")  # 527 serious: a training certificate is needed
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    _paused_then_resumed(client, clock, repair, record_id, "provide_certificate", "2023-10-10T10:00:00+08:00")


def test_pause_at_the_offices_review_under_order58(client, clock, make_record):
    clock.set("2024-06-03T10:00:00+08:00")
    record_id = make_record("2023-12-01")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    resumed = _paused_then_resumed(client, clock, repair, record_id, "review", "2024-06-05T10:00:00+08:00")
    assert open_task(resumed, "review")["due_at"] == "2024-06-06T23:59:59+08:00"


@pytest.mark.parametrize("step", ["withdrawn", "approved"])
def test_an_objection_on_a_closed_repair_changes_nothing(client, make_record, step):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    repair = file_request(client, app1, [record_id]).get_json()
    if step == "withdrawn":
        client.post(f"/api/v1/cases/{repair['id']}/withdraw", headers=bearer(app1))
    else:
        from tests.support.api_cases import department_decides
        department_decides(client, forward(client, repair), "approve")
    before = case_of(client, token_for(client, "supervisor1"), repair["id"])
    _object_to(client, record_id)
    after = case_of(client, token_for(client, "supervisor1"), repair["id"])
    assert (after["status"], after["version"]) == (before["status"], before["version"])
