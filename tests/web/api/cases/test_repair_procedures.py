"""The repair procedure of the regime in force on the day a case is received (DMN repair_procedure,
DOMAIN.md §0/§B/§H): 谁认定、谁修复 since 2025-06-22, the credit office's under 527 / Order 58.
Over HTTP, on SQLite and PostgreSQL, with the frozen clock."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.api_cases import (case_of, complete, department_decides, file_request, forward, letter_text,
                                     open_task, record_doc)
from tests.support.web import PASSWORD, bearer, headers, token_for
from workflows.core.models.cases import Notification
from workflows.people.users import create_user

OFFICE = "泉州市社会信用体系建设领导小组办公室"  # letters/issuers.json's default issuer
DEPARTMENT = "泉州市市场监督管理局（信用监管科）"
ISSUER = {"issuer_name": DEPARTMENT, "address": "泉州市丰泽区刺桐路100号", "phone": "0595-28881234",
          "number_prefixes": {"default": "泉市监"}}


@pytest.fixture(autouse=True)
def department_issuer(client, store, clock, world) -> None:
    """QZ-SCJG has its issuer details, so its letters carry its name (else the office's)."""
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    put = client.put("/api/v1/admin/departments/QZ-SCJG/issuer", json=ISSUER, headers=headers(client, "admin1"))
    assert put.status_code == 200, put.get_json()


def _letter(doc, letter_type):
    return next(item for item in doc["letters"] if item["type"] == letter_type)


def _flat(client, token, letter):
    return "".join(letter_text(client, token, letter).split())


def test_order36_case_is_forwarded_and_decided_by_the_designating_department(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1, rev, dept = token_for(client, "applicant1"), token_for(client, "reviewer1"), token_for(client, "dept1")
    doc = file_request(client, app1, [record_id]).get_json()
    first = open_task(doc, "first_review")
    assert (first["lane"], first["due_at"]) == ("reviewer", "2026-10-08T23:59:59+08:00")  # 本级审核: 1 wd
    assert not [t for t in doc["tasks"] if t["bpmn_id"] == "review"]
    accepted = next(e for e in doc["events"] if e["kind"] == "accepted")
    assert "2026-10-20" in accepted["summary"]  # result within 10 wd of 09-30 (National Day off, 10-10 worked)
    # the office cannot decide the repair itself under this procedure
    refused = complete(client, rev, first["id"], doc["version"], decision="approve")
    assert refused.status_code == 400 and "decision" in refused.get_json()["fields"]
    doc = forward(client, doc, rev)
    task = open_task(doc, "department_decision")
    assert (task["lane"], task["due_at"]) == ("department", "2026-10-10T23:59:59+08:00")  # 3 wd of forwarding
    assert "forwarded" in [e["kind"] for e in doc["events"]]
    inbox = client.get("/api/v1/tasks", headers=bearer(dept)).get_json()["items"]
    assert [t["id"] for t in inbox] == [task["id"]]
    assert complete(client, rev, task["id"], doc["version"], decision="approve").status_code == 403
    with store.read() as session:
        told = session.scalars(select(Notification.message).where(Notification.username == "dept1")).all()
    assert any("已转贵单位决定" in m for m in told)
    done = department_decides(client, doc, "approve", dept)
    assert done.status_code == 200, done.get_json()
    doc = done.get_json()
    assert (doc["status"], doc["outcome"]) == ("completed", "approved")
    assert record_doc(client, rev, record_id)["publicity_status"] == "stopped"
    letter = _letter(doc, "repair_decision")
    decision = _flat(client, app1, letter)
    assert letter["number"] == "泉市监〔2026〕1号" and decision.startswith(DEPARTMENT)
    assert "信用修复决定书" in decision and OFFICE not in decision
    assert _flat(client, app1, _letter(doc, "acceptance")).startswith(OFFICE)


def test_department_refusal_goes_out_in_its_name(client, make_record):
    doc = file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json()
    doc = forward(client, doc)
    missing = department_decides(client, doc, "reject")
    assert missing.status_code == 400 and "reason" in missing.get_json()["fields"]
    doc = department_decides(client, doc, "reject", reason="违法行为尚未纠正").get_json()
    assert doc["outcome"] == "rejected"
    text = _flat(client, token_for(client, "applicant1"), _letter(doc, "repair_refusal"))
    assert "不予修复决定书" in text and "违法行为尚未纠正" in text and text.startswith(DEPARTMENT)


def test_department_asks_for_a_supplement_through_the_office_and_gets_the_file_back(client, clock, make_record):
    app1 = token_for(client, "applicant1")
    doc = forward(client, file_request(client, app1, [make_record("2026-05-10")]).get_json())
    doc = department_decides(client, doc, "supplement", reason="缺少整改报告", supplement_items=["整改报告"]).get_json()
    supplement = open_task(doc, "supplement")
    notice = _letter(doc, "supplement_request")
    text = _flat(client, app1, notice)
    assert "补正通知书" in text and "整改报告" in text and text.startswith(OFFICE)  # the office asks for it
    clock.set("2026-10-09T15:00:00+08:00")
    app1 = token_for(client, "applicant1")
    doc = complete(client, app1, supplement["id"], doc["version"], rectification="已补交整改报告").get_json()
    again = open_task(doc, "department_decision")  # straight back to the department, fresh 3 wd
    assert again["due_at"] == "2026-10-13T23:59:59+08:00"  # Saturday 10-10 is a make-up working day
    assert not [t for t in doc["tasks"] if t["bpmn_id"] == "first_review" and t["state"] == "ready"]


def test_office_supplement_returns_to_its_first_review(client, clock, make_record):
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [make_record("2026-05-10")]).get_json()
    doc = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="supplement",
                   reason="缺少缴款凭证").get_json()
    clock.set("2026-10-09T15:00:00+08:00")
    doc = complete(client, token_for(client, "applicant1"), open_task(doc, "supplement")["id"], doc["version"],
                   rectification="已补交").get_json()
    assert open_task(doc, "first_review")["due_at"] == "2026-10-10T23:59:59+08:00"


def test_overdue_department_decision_and_result_escalate(client, runtime, clock, make_record, store):
    doc = forward(client, file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json())
    clock.set("2026-10-11T00:00:01+08:00")  # past the department's 3 wd (10-10)
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "supervisor1"), doc["id"])
    assert open_task(doc, "department_decision")["overdue"] is True
    assert "sla_breach" in [e["kind"] for e in doc["events"]] and "result_overdue" not in [e["kind"] for e in doc["events"]]
    clock.set("2026-10-20T23:00:00+08:00")
    assert runtime.engine.fire_due_timers() == 0  # the result is due at the end of 10-20
    clock.set("2026-10-21T00:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "supervisor1"), doc["id"])
    assert [e["kind"] for e in doc["events"]].count("result_overdue") == 1 and doc["status"] == "running"
    with store.read() as session:
        kinds = session.scalars(select(Notification.message).where(Notification.role == "supervisor")).all()
        dept = session.scalars(select(Notification.message).where(Notification.username == "dept1")).all()
    assert any("未在时限内告知办理结果" in m for m in kinds)
    assert any("超过办理结果告知时限" in m for m in dept)
    done = department_decides(client, doc, "approve").get_json()
    assert done["outcome"] == "approved"


def test_case_received_under_order58_keeps_the_office_procedure(client, clock, make_record):
    clock.set("2024-06-03T10:00:00+08:00")  # Monday; received under Order 58
    record_id = make_record("2023-12-01")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = file_request(client, app1, [record_id]).get_json()
    review = open_task(doc, "review")
    assert review["lane"] == "reviewer" and review["due_at"] == "2024-06-04T23:59:59+08:00"
    assert not [t for t in doc["tasks"] if t["bpmn_id"] in ("first_review", "department_decision")]
    doc = complete(client, rev, review["id"], doc["version"], decision="approve").get_json()
    assert doc["outcome"] == "approved" and "forwarded" not in [e["kind"] for e in doc["events"]]
    text = _flat(client, app1, _letter(doc, "repair_decision"))
    assert text.startswith(OFFICE) and DEPARTMENT not in text and "国家发展改革委令2023年第58号" in text


def test_the_applicant_sees_who_decides_and_by_when(client, make_record):
    from tests.support.web import login
    doc = forward(client, file_request(client, token_for(client, "applicant1"), [make_record("2026-05-10")]).get_json())
    login(client, "applicant1")
    page = client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)
    assert "认定部门正在作出修复决定，时限至 2026-10-10" in page
