"""Warning interviews end to end over HTTP (SQLite and PostgreSQL, frozen clock)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from workflows.core.models.cases import OutboxEvent
from workflows.core.models.records import CreditRecord

from tests.support.api_cases import SUBJECT_A, case_of, complete, file_request, letter_text, open_task, start_interview
from tests.support.web import bearer, token_for

TOPICS = ["policy", "measures", "repair"]


def conduct(client, token, doc, **data):
    return complete(client, token, open_task(doc, "conduct")["id"], doc["version"], **data)


def test_interview_record_follow_up_rectified(client, runtime, clock, store, make_record):
    record_id = make_record("2026-05-10")
    dept, app1 = token_for(client, "dept1"), token_for(client, "applicant1")
    started = start_interview(client, dept, [record_id])
    assert started.status_code == 201, started.get_json()
    doc = started.get_json()
    notice = next(l for l in doc["letters"] if l["type"] == "interview_notice")
    text = letter_text(client, app1, notice).replace("\n", "")
    assert "约谈通知书" in text and "提示约谈" in text and "营业执照副本" in text and "泉州市清源食品有限公司" in text
    partial = conduct(client, dept, doc, attended=True, topics_covered=["policy"], rectification_plan="x", rectification_due_days=10)
    assert partial.status_code == 400 and "topics_covered" in partial.get_json()["fields"]
    doc = conduct(client, dept, doc, attended=True, topics_covered=TOPICS, rectification_plan="建立食品进货查验制度",
                  rectification_due_days=10).get_json()
    record_letter = next(l for l in doc["letters"] if l["type"] == "interview_record")
    assert "约谈记录" in letter_text(client, app1, record_letter)
    with store.read() as session:
        entry = session.scalars(select(CreditRecord).where(CreditRecord.kind == "interview_record")).one()
        shared = session.scalars(select(OutboxEvent.kind).where(OutboxEvent.case_id == doc["id"])).all()
    assert entry.publicity_status == "not_published" and entry.subject_code == SUBJECT_A
    assert "interview_recorded" in shared
    clock.set("2026-10-21T00:00:01+08:00")  # 10 working days after 09-30 end 10-20
    assert runtime.engine.fire_due_timers() == 1
    doc = case_of(client, token_for(client, "dept1"), doc["id"])
    done = complete(client, token_for(client, "dept1"), open_task(doc, "follow_up")["id"], doc["version"],
                    rectified=True, note="已整改").get_json()
    assert done["outcome"] == "rectified"


def test_not_rectified_proposes_the_key_attention_list_without_listing(client, runtime, clock, store, make_record):
    """Escalation is a proposal first (issue 14 §3): the list entry waits for the department's decision."""
    record_id = make_record("2026-05-10")
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id], kind="warning").get_json()
    doc = conduct(client, dept, doc, attended=True, topics_covered=TOPICS, rectification_plan="限期整改",
                  rectification_due_days=5).get_json()
    clock.set("2026-10-15T00:00:01+08:00")
    runtime.engine.fire_due_timers()
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, doc["id"])
    done = complete(client, dept, open_task(doc, "follow_up")["id"], doc["version"], rectified=False).get_json()
    assert done["status"] == "running" and open_task(done, "state_defence")["lane"] == "applicant"
    assert any(item["type"] == "key_attention_notice" for item in done["letters"])
    with store.read() as session:
        assert session.scalars(select(CreditRecord).where(CreditRecord.kind == "key_attention")).all() == []


def test_refusal_to_attend_without_reason_is_recorded_and_bars_repair(client, store, make_record):
    record_id = make_record("2026-05-10")
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id]).get_json()
    done = conduct(client, dept, doc, attended=False, absence_justified=False, absence_note="经电话催告仍未到场").get_json()
    assert open_task(done, "state_defence")  # the listing is only proposed
    with store.read() as session:
        refused = session.scalars(select(CreditRecord).where(CreditRecord.category == "refused")).one()
        assert session.scalars(select(CreditRecord).where(CreditRecord.kind == "key_attention")).all() == []
    assert refused.kind == "interview_record" and refused.bars_repair_until.isoformat() == "2027-09-30"
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    assert repair["outcome"] == "not_accepted"
    assert "拒不参加" in next(e["summary"] for e in repair["events"] if e["kind"] == "eligibility_checked")


def test_only_the_designating_department_may_interview(client, store, make_record, other_department):
    record_id = make_record("2026-05-10")
    refused = start_interview(client, token_for(client, "dept2"), [record_id])
    assert refused.status_code == 403 and "谁认定、谁约谈" in refused.get_json()["message"]
    assert start_interview(client, token_for(client, "applicant1"), [record_id]).status_code == 403
    assert start_interview(client, token_for(client, "supervisor1"), [record_id]).status_code == 201


def test_reschedule_once(client, store, make_record):
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    app1 = token_for(client, "applicant1")
    moved = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(app1),
                        json={"scheduled_at": "2026-10-14T14:00:00+08:00", "reason": "负责人出差"})
    assert moved.status_code == 200, moved.get_json()
    notices = [l for l in moved.get_json()["letters"] if l["type"] == "interview_notice"]
    assert len(notices) == 2 and open_task(moved.get_json(), "conduct")
    again = client.post(f"/api/v1/cases/{doc['id']}/reschedule", headers=bearer(app1),
                        json={"scheduled_at": "2026-10-16T14:00:00+08:00"})
    assert again.status_code == 422 and "只能改期一次" in again.get_json()["message"]


@pytest.mark.parametrize("form, field", [({"interview_kind": "x"}, "interview_kind"),
                                         ({"scheduled_at": "2026-10-12 09:30"}, "scheduled_at"), ({"place": ""}, "place")])
def test_bad_interview_input(client, make_record, form, field):
    record_id = make_record("2026-05-10")
    response = start_interview(client, token_for(client, "dept1"), [record_id], **form)
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_desk_schedule_calendar_and_conduct(client, store, make_record, other_department):
    import re

    from tests.support.web import login
    record_id = make_record("2026-05-10")
    login(client, "dept2")
    refused = client.post("/desk/interviews/new", follow_redirects=True, data={
        "record": record_id, "record_ids": [record_id], "interview_kind": "prompt",
        "scheduled_at": "2026-10-12T09:30", "place": "约谈室", "officers": "王五"})
    assert "谁认定、谁约谈" in refused.get_data(as_text=True)
    client.post("/logout")
    login(client, "dept1")
    page = client.get(f"/desk/interviews/new?record={record_id}").get_data(as_text=True)
    assert f'value="{record_id}"' in page
    done = client.post("/desk/interviews/new", follow_redirects=True, data={
        "record": record_id, "record_ids": [record_id], "interview_kind": "warning",
        "scheduled_at": "2026-10-12T09:30", "place": "泉州市行政服务中心", "officers": "陈静、林峰"})
    page = done.get_data(as_text=True)
    assert "约谈通知书已出具" in page and 'id="attended-yes"' in page
    calendar = client.get("/desk/interviews").get_data(as_text=True)
    assert "2026-10-12" in calendar and "09:30" in calendar
    task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    case_id = int(re.search(r'name="case_id" value="(\d+)"', page).group(1))
    result = client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True, data={
        "attended": "yes", "topics_covered": ["policy", "measures", "repair"], "rectification_plan": "完成整改",
        "rectification_due_days": "10", "version": version, "case_id": case_id})
    assert "约谈记录" in result.get_data(as_text=True)


def test_subject_sees_the_interview_in_the_portal(client, store, make_record):
    from tests.support.web import login
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    login(client, "applicant1")
    home = client.get("/portal/").get_data(as_text=True)
    assert f"/portal/cases/{doc['id']}" in home
    page = client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)
    assert "约谈通知书" in page and "2026-10-12" in page


def test_start_from_a_warning_uses_its_evidence(client, store, clock, make_record, other_department):
    from workflows.core.models.warnings import EarlyWarning
    own, foreign = make_record("2026-05-10"), make_record("2026-05-11")
    with store.write() as uow:
        record = uow.session.get(CreditRecord, foreign)
        record.department_code, record.department_name = "QZ-STHJ", "泉州市生态环境局"
        warning = EarlyWarning(subject_code=SUBJECT_A, subject_name="泉州市清源食品有限公司", status="open",
                               reasons={"penalties_365d": 60}, evidence={"record_ids": [own, foreign]},
                               created_at=clock.now(), updated_at=clock.now())
        uow.session.add(warning)
        uow.commit()
        warning_id = warning.id
    doc = start_interview(client, token_for(client, "dept1"), [], warning_id=warning_id).get_json()
    with store.read() as session:
        from workflows.core.models.cases import Case
        case = session.get(Case, doc["id"])
    assert case.department_code == "QZ-SCJG"
    notice = next(l for l in doc["letters"] if l["type"] == "interview_notice")
    text = letter_text(client, token_for(client, "applicant1"), notice).replace("\n", "")
    assert "泉市监罚〔2026〕0510号" in text and "泉市监罚〔2026〕0511号" not in text  # only dept1's own record
