"""Objections end to end over HTTP (SQLite and PostgreSQL, frozen clock): suspension, outcomes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflows import records as record_service
from workflows.core.models.cases import Case, OutboxEvent
from workflows.core.models.records import CreditRecord, PunishmentMeasure

from tests.support.api_cases import SUBJECT_A, case_of, complete, file_request, letter_text, open_task, record_doc
from tests.support.web import bearer, token_for


def object_to(client, token, record_ids, **form):
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": record_ids,
            "form": {"target": "content", "claim": "罚款金额应为二万元，公示为二十万元", "evidence": "处罚决定书原件", **form}}
    return client.post("/api/v1/cases", headers=bearer(token), json=body)


def check(client, token):
    return client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(token)).get_json()


def accept_and_reach_verify(client, doc):
    rev = token_for(client, "reviewer1")
    doc = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="accept").get_json()
    return doc, open_task(doc, "verify")


def test_acceptance_suspends_then_revoke_restores_reputation(client, make_record, clock, store):
    """By default (objection_rules.dmn) publicity and punishments are suspended when the credit
    office accepts the objection, and every letter states that day."""
    record_id = make_record("2026-05-10")
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    before = check(client, dept)
    assert len(before["active_measures"]) == 2 and before["suspended_measures"] == []
    filed = object_to(client, app1, [record_id])
    assert filed.status_code == 201, filed.get_json()
    doc = filed.get_json()
    assert check(client, dept) == before  # filed, not yet accepted: nothing suspended
    assert record_doc(client, dept, record_id)["publicity_status"] == "public"
    review = open_task(doc, "first_review")
    assert review["due_at"] == "2026-10-08T23:59:59+08:00" and review["lane"] == "reviewer"
    clock.set("2026-10-08T09:00:00+08:00")
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")  # fresh tokens at the new time
    doc, verify = accept_and_reach_verify(client, doc)
    during = check(client, dept)
    assert during["active_measures"] == [] and len(during["suspended_measures"]) == 2
    assert all(str(doc["id"]) in m["reason"] for m in during["suspended_measures"])
    assert record_doc(client, dept, record_id)["publicity_status"] == "suspended"
    assert verify["lane"] == "department" and verify["due_at"] == "2026-10-21T23:59:59+08:00"  # 10 working days (Sat 10-10 works)
    accepted = letter_text(client, app1, next(l for l in doc["letters"] if l["type"] == "objection_acceptance"))
    assert "异议受理通知书" in accepted
    assert "自2026年10月8日起至异议处理完毕，上述信息暂停公开" in accepted.replace("\n", "")
    done = complete(client, dept, verify["id"], doc["version"], outcome="revoke", reason="原处罚决定已被撤销").get_json()
    assert (done["status"], done["outcome"]) == ("completed", "revoked")
    assert record_doc(client, dept, record_id)["publicity_status"] == "revoked"
    after = check(client, dept)
    assert after["active_measures"] == [] and after["suspended_measures"] == []
    text = letter_text(client, app1, next(l for l in done["letters"] if l["type"] == "objection_outcome"))
    assert "异议处理告知书" in text and "撤销" in text and "恢复" in text
    assert "上述信息已自2026年10月8日起暂停公开" in text.replace("\n", "")
    with store.read() as session:
        kinds = session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.seq)).all()
        notices = session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "reputation_restored")).all()
    assert kinds[0] == "record_suspended" and kinds[-1] == "objection_closed"
    assert {n.payload["partner"] for n in notices} >= {"泉州市市场监督管理局"} and len(notices) >= 2
    assert "reputation_restored" in [e["kind"] for e in done["events"]]


def test_correct_amends_and_resumes_with_history(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc, verify = accept_and_reach_verify(client, object_to(client, app1, [record_id]).get_json())
    bad = complete(client, dept, verify["id"], doc["version"], outcome="correct", reason="录入错误", corrections={})
    assert bad.status_code == 400
    done = complete(client, dept, verify["id"], doc["version"], outcome="correct", reason="录入错误",
                    corrections={"content": "罚款人民币二千元"}).get_json()
    assert done["outcome"] == "corrected"
    record = record_doc(client, dept, record_id)
    assert record["content"] == "罚款人民币二千元" and record["publicity_status"] == "public"
    amended = next(h for h in record["history"] if h["action"] == "amended")
    assert amended["before"]["content"] == "罚款人民币二万元"
    assert len(check(client, dept)["active_measures"]) == 2
    text = letter_text(client, app1, next(l for l in done["letters"] if l["type"] == "objection_outcome"))
    text = text.replace("\n", "")
    assert "由“罚款人民币二万元”更正为“罚款人民币二千元”" in text


def test_uphold_resumes_without_extending_publicity_by_default(client, make_record, clock, store):
    """Extending publicity by the suspended days is a rule option of objection_rules.dmn, off by
    default (tests/web/api/cases/test_objection_rule_options.py turns it on)."""
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    original_end = record_doc(client, app1, record_id)["publicity_max_end"]
    doc, verify = accept_and_reach_verify(client, object_to(client, app1, [record_id]).get_json())
    clock.set("2026-10-10T10:00:00+08:00")  # ten days suspended
    dept = token_for(client, "dept1")
    done = complete(client, dept, verify["id"], doc["version"], outcome="uphold", reason="信息准确").get_json()
    assert done["outcome"] == "upheld"
    record = record_doc(client, dept, record_id)
    assert record["publicity_status"] == "public" and record["publicity_max_end"] == original_end
    assert len(check(client, dept)["active_measures"]) == 2
    text = letter_text(client, dept, next(l for l in done["letters"] if l["type"] == "objection_outcome"))
    assert "上述信息已自2026年9月30日起暂停公开" in text.replace("\n", "") and "顺延" not in text


def test_first_review_rejection_restores_exactly(client, make_record, store):
    record_id = make_record("2026-05-10")
    with store.write() as uow:  # one measure already lifted before the objection must stay lifted
        measure = uow.session.scalars(select(PunishmentMeasure).where(PunishmentMeasure.record_id == record_id)).first()
        record = uow.session.get(CreditRecord, record_id)
        record_service.terminate_measures(uow.session, record, "dept1", record.updated_at, None, "已履行", [measure.id])
        uow.commit()
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    doc = object_to(client, app1, [record_id]).get_json()
    missing = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="reject")
    assert missing.status_code == 400
    done = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="reject",
                    reason="重复提出").get_json()
    assert done["outcome"] == "not_accepted"
    record = record_doc(client, rev, record_id)
    assert record["publicity_status"] == "public"
    assert sorted(m["state"] for m in record["measures"]) == ["active", "terminated"]
    assert not [h for h in record["history"] if h["action"] in ("suspended", "resumed")]  # never suspended
    text = letter_text(client, app1, next(l for l in done["letters"] if l["type"] == "objection_outcome"))
    assert "不予受理" in text and "上述信息未暂停公示" in text.replace("\n", "")


def test_withdrawal_resumes_without_extension(client, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    end = record_doc(client, app1, record_id)["publicity_max_end"]
    doc = object_to(client, app1, [record_id]).get_json()
    done = client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(app1)).get_json()
    assert done["outcome"] == "withdrawn"
    record = record_doc(client, app1, record_id)
    assert record["publicity_status"] == "public" and record["publicity_max_end"] == end


def test_withdrawal_after_acceptance_restores_what_acceptance_suspended(client, make_record):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    doc, _verify = accept_and_reach_verify(client, object_to(client, app1, [record_id]).get_json())
    assert record_doc(client, app1, record_id)["publicity_status"] == "suspended"
    done = client.post(f"/api/v1/cases/{doc['id']}/withdraw", headers=bearer(app1)).get_json()
    assert done["outcome"] == "withdrawn"
    assert record_doc(client, app1, record_id)["publicity_status"] == "public"
    assert len(check(client, token_for(client, "dept1"))["active_measures"]) == 2


def test_second_objection_on_the_same_record_is_refused(client, make_record, store):
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    object_to(client, app1, [record_id])
    again = object_to(client, app1, [record_id])
    assert again.status_code == 422 and "已有正在办理的异议" in again.get_json()["message"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_objection_pauses_an_open_repair_until_it_ends(client, make_record):
    record_id = make_record("2026-05-10")
    app1, rev = token_for(client, "applicant1"), token_for(client, "reviewer1")
    repair = file_request(client, app1, [record_id]).get_json()
    assert open_task(repair, "first_review")
    objection = object_to(client, app1, [record_id]).get_json()
    paused = case_of(client, rev, repair["id"])
    assert paused["status"] == "running" and not [t for t in paused["tasks"] if t["state"] == "ready"]
    client.post(f"/api/v1/cases/{objection['id']}/withdraw", headers=bearer(app1))
    resumed = case_of(client, rev, repair["id"])
    assert open_task(resumed, "first_review")["state"] == "ready"


def test_suspension_is_atomic(client, make_record, store, monkeypatch):
    """Acceptance suspends every record of the objection or none."""
    first, second = make_record("2026-05-10"), make_record("2026-05-11")
    doc = object_to(client, token_for(client, "applicant1"), [first, second]).get_json()
    calls = {"n": 0}
    real = record_service.suspend_record

    def fail_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(record_service, "suspend_record", fail_on_second)
    rev = token_for(client, "reviewer1")
    response = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="accept")
    assert response.status_code == 500
    assert open_task(case_of(client, rev, doc["id"]), "first_review")["state"] == "ready"
    with store.read() as session:
        statuses = session.scalars(select(CreditRecord.publicity_status)).all()
        measures = session.scalars(select(PunishmentMeasure.state)).all()
    assert set(statuses) == {"public"} and set(measures) == {"active"}


@pytest.mark.parametrize("form, field", [({"target": "x"}, "target"), ({"claim": ""}, "claim")])
def test_bad_objection_input(client, make_record, store, form, field):
    record_id = make_record("2026-05-10")
    response = object_to(client, token_for(client, "applicant1"), [record_id], **form)
    assert response.status_code == 400 and field in response.get_json()["fields"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_desk_forms_for_first_review_and_verification_with_diff(client, make_record):
    import re

    from tests.support.web import login
    record_id = make_record("2026-05-10")
    doc = object_to(client, token_for(client, "applicant1"), [record_id]).get_json()
    login(client, "reviewer1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert "暂停公示，不执行联合惩戒" not in page and 'id="decision-accept"' in page  # suspended on acceptance
    task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
    client.post(f"/desk/tasks/{task_id}/complete", data={"decision": "accept", "version": doc["version"], "case_id": doc["id"]})
    client.post("/logout")
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'id="outcome-correct"' in page and 'name="corr_content"' in page
    assert "自 2026-09-30 10:00 起暂停公示，不执行联合惩戒" in page
    task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    done = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True, data={
        "outcome": "correct", "reason": "录入错误", "version": version, "case_id": doc["id"],
        "orig_content": "罚款人民币二万元", "corr_content": "罚款人民币二千元",
        "orig_facts": "销售不符合食品安全标准的食品", "corr_facts": "销售不符合食品安全标准的食品"})
    page = done.get_data(as_text=True)
    assert 'id="diff"' in page and "<del>罚款人民币二万元</del>" in page and "<ins>罚款人民币二千元</ins>" in page
    assert "已更正" in page


def test_overdue_verification_escalates(client, runtime, clock, make_record):
    record_id = make_record("2026-05-10")
    doc, verify = accept_and_reach_verify(client, object_to(client, token_for(client, "applicant1"), [record_id]).get_json())
    clock.set("2026-10-21T08:00:00+08:00")
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "dept1"), doc["id"])
    assert open_task(doc, "verify")["overdue"] is True
    assert [e for e in doc["events"] if e["kind"] == "sla_breach" and e["bpmn_id"] == "verify"]
    assert check(client, token_for(client, "dept1"))["active_measures"] == []  # still suspended


def test_staff_files_for_a_walk_in_applicant(client, make_record):
    from tests.support.web import login
    record_id = make_record("2026-05-10")
    login(client, "reviewer1")
    page = client.get(f"/desk/objections/new?subject={SUBJECT_A}").get_data(as_text=True)
    assert "泉州市清源食品有限公司" in page and f'value="{record_id}"' in page
    bad = client.post("/desk/objections/new", data={"subject": SUBJECT_A, "record_ids": [record_id], "target": "content"})
    assert "请填写异议请求和理由" in bad.get_data(as_text=True)
    done = client.post("/desk/objections/new", follow_redirects=True, data={
        "subject": SUBJECT_A, "record_ids": [record_id], "target": "content", "claim": "金额有误"})
    assert "异议已提交" in done.get_data(as_text=True)
    assert len(check(client, token_for(client, "reviewer1"))["active_measures"]) == 2  # suspended on acceptance
    assert "校验位不符" in client.get("/desk/objections/new?subject=91350100M000100Y44").get_data(as_text=True)
