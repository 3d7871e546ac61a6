"""Cases over the HTTP API (the product flows): file, read, complete a task, read a letter."""
from __future__ import annotations

import io

import pypdf

from .letters import drain_app_letters
from .subjects import COMPANY as SUBJECT_A
from .subjects import OTHER as SUBJECT_B
from .web import bearer, token_for


def file_request(client, token, record_ids, **form):
    body = {"kind": "repair", "subject_code": SUBJECT_A, "record_ids": record_ids,
            "form": {"reason": "已缴清罚款并完成整改", "rectification": "已下架问题食品并建立进货查验制度",
                     "commitment_accepted": True, **form}}
    return client.post("/api/v1/cases", headers=bearer(token), json=body)


def case_of(client, token, case_id):
    return client.get(f"/api/v1/cases/{case_id}", headers=bearer(token)).get_json()


def open_task(doc, bpmn_id):
    return next(t for t in doc["tasks"] if t["bpmn_id"] == bpmn_id and t["state"] == "ready")


def complete(client, token, task_id, version, **data):
    return client.post(f"/api/v1/tasks/{task_id}/complete", headers=bearer(token), json={"data": data, "version": version})


def forward(client, doc, token=None):
    """谁认定、谁修复 (cases received since 2025-06-22): the credit office's 本级审核 forwards the
    file to the designating department; the answer shows its 认定部门决定 task."""
    token = token or token_for(client, "reviewer1")
    done = complete(client, token, open_task(doc, "first_review")["id"], doc["version"], decision="forward")
    assert done.status_code == 200, done.get_json()
    return done.get_json()


def department_decides(client, doc, decision="approve", token=None, **data):
    """The designating department's decision (dept1 of QZ-SCJG, the records' department)."""
    token = token or token_for(client, "dept1")
    return complete(client, token, open_task(doc, "department_decision")["id"], doc["version"], decision=decision, **data)


def repair_decided(client, doc, decision="approve", **data):
    """A repair received today (Order 36) through forwarding to the department's decision."""
    return department_decides(client, forward(client, doc), decision, **data)


def letter_text(client, token, letter):
    """The letter's text once rendered: pending letters are drained first (as the workers would)."""
    drain_app_letters(client)
    answer = client.get(letter["url"], headers=bearer(token))
    assert answer.status_code == 200, answer.status_code
    pdf = answer.data
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def record_doc(client, token, record_id):
    return client.get(f"/api/v1/records/{record_id}", headers=bearer(token)).get_json()


def commit(client, token, commitment_type="certification", **form):
    body = {"kind": "commitment", "subject_code": SUBJECT_A, "form": {
        "commitment_type": commitment_type, "matter": "食品经营许可证延续", "content": "按期完成整改",
        "liability": "承担虚假承诺的法律责任并接受失信惩戒", "disclosure": "public", "department_code": "QZ-SCJG",
        "deficiency_materials": "营业场所产权证明" if commitment_type == "deficiency_acceptance" else "", **form}}
    return client.post("/api/v1/cases", headers=bearer(token), json=body)


def through_acceptance(client, doc):
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = complete(client, app1, open_task(doc, "confirm")["id"], doc["version"], confirmed=True, signer="陈志明").get_json()
    return complete(client, dept, open_task(doc, "accept")["id"], doc["version"], decision="accept").get_json()


def start_interview(client, token, record_ids, kind="prompt", **form):
    body = {"kind": "interview", "subject_code": SUBJECT_A, "record_ids": record_ids, "form": {
        "record_ids": record_ids, "interview_kind": kind, "scheduled_at": "2026-10-12T09:30:00+08:00",
        "place": "泉州市行政服务中心3楼约谈室", "officers": ["陈静（科长）", "林峰"], "reason": "存在未纠正的失信行为",
        "materials": ["营业执照副本", "整改情况说明"], **form}}
    return client.post("/api/v1/cases", headers=bearer(token), json=body)


__all__ = ["SUBJECT_A", "SUBJECT_B", "case_of", "commit", "complete", "department_decides", "file_request", "forward",
           "letter_text", "open_task", "record_doc", "repair_decided", "start_interview", "through_acceptance"]
