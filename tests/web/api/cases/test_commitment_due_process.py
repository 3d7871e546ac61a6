"""A broken commitment takes effect only after due process (DOMAIN.md §I, §H, §A) over HTTP, on
SQLite and PostgreSQL with the frozen clock (2026-09-30 10:00): the accepting department's
违诺告知书, the party's 陈述申辩 (or the period's end), then its 违诺处理决定 — letters in the
department's own name, nothing recorded or shared before the decision; a broken repair
commitment re-opens the repaired record."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflows.core.models.cases import Case, CaseEvent, Notification, OutboxEvent
from workflows.core.models.commitments import Commitment
from workflows.core.models.records import CreditRecord, RecordHistory
from workflows.people.users import create_user

from tests.support.api_cases import (SUBJECT_A, case_of, commit, complete, file_request, letter_text, open_task,
                                     record_doc, repair_decided, through_acceptance)
from tests.support.web import PASSWORD, bearer, headers, login, token_for

OFFICE = "泉州市社会信用体系建设领导小组办公室"
ISSUER = {"issuer_name": "泉州市市场监督管理局", "address": "泉州市丰泽区刺桐路100号", "phone": "0595-28881234",
          "number_prefixes": {"default": "泉市监", "breach_notice": "泉市监诺", "breach_decision": "泉市监诺决"}}
BREACH = {"fulfilment": "partial", "unfulfilled": "承诺于9月底前完成的冷库改造未完成"}


@pytest.fixture
def department_issuer(client, store, clock, world) -> None:
    """The accepting department (QZ-SCJG) has its own issuer details, as an admin sets them."""
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    answer = client.put("/api/v1/admin/departments/QZ-SCJG/issuer", json=ISSUER, headers=headers(client, "admin1"))
    assert answer.status_code == 200, answer.get_json()


def flat(client, token, letter) -> str:
    return "".join(letter_text(client, token, letter).split())


def letter_of(doc, letter_type):
    return next(item for item in doc["letters"] if item["type"] == letter_type)


def kinds_of_events(store, case_id) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def shared(store, kind="commitment_breached") -> list[OutboxEvent]:
    with store.read() as session:
        return list(session.scalars(select(OutboxEvent).where(OutboxEvent.kind == kind)))


def breach_records(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(CreditRecord).where(CreditRecord.kind == "breach"))


def register_row(store, case_id) -> Commitment:
    with store.read() as session:
        return session.scalars(select(Commitment).where(Commitment.case_id == case_id)).one()


def reported(client, commitment_type="certification"):
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = through_acceptance(client, commit(client, app1, commitment_type).get_json())
    answer = client.post(f"/api/v1/cases/{doc['id']}/breach", headers=bearer(dept), json=BREACH)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_nothing_takes_effect_before_the_decision_and_the_period_runs_out(client, runtime, clock, store,
                                                                         department_issuer):
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = reported(client)
    assert (doc["status"], doc["outcome"]) == ("running", None)
    statement = open_task(doc, "statement")
    assert statement["lane"] == "applicant"
    assert statement["due_at"] == "2026-10-13T23:59:59+08:00"  # 5 working days (due_process.dmn): 10-08, 09, 10 (make-up day), 12, 13
    notice = flat(client, app1, letter_of(doc, "breach_notice"))
    assert "违诺告知书" in notice and ISSUER["issuer_name"] in notice and OFFICE not in notice
    assert "泉市监诺〔2026〕1号" in notice and "拟采取以下措施" in notice and "2026年10月13日前" in notice
    assert "冷库改造未完成" in notice and "陈述、申辩" in notice and "不予记录和共享" in notice
    # nothing recorded, no measure, nothing shared, the public register says "accepted"
    assert breach_records(store) == 0 and shared(store) == []
    check = client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(dept)).get_json()
    assert check["active_measures"] == []
    row = register_row(store, doc["id"])
    assert (row.status, row.breach_record_id) == ("breach_pending", None)
    public = client.get(f"/api/v1/public/commitments?q={row.code}").get_json()
    assert [(item["status"], item["fulfilment"]) for item in public["items"]] == [("accepted", None)]
    assert "breach_noticed" in kinds_of_events(store, doc["id"])
    clock.set("2026-10-13T23:59:58+08:00")
    assert runtime.engine.fire_due_timers() == 0
    clock.set("2026-10-14T00:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")  # fresh tokens two weeks on
    doc = case_of(client, dept, doc["id"])
    decide = open_task(doc, "decide")
    assert decide["lane"] == "department" and not [t for t in doc["tasks"] if t["bpmn_id"] == "statement"
                                                    and t["state"] == "ready"]
    assert breach_records(store) == 0
    done = complete(client, dept, decide["id"], doc["version"], decision="confirm").get_json()
    assert (done["status"], done["outcome"]) == ("completed", "breached")
    decision = letter_of(done, "breach_decision")
    text = flat(client, app1, decision)
    assert "违诺处理决定书" in text and ISSUER["issuer_name"] in text and OFFICE not in text
    assert decision["number"] == "泉市监诺决〔2026〕1号" and "泉市监诺〔2026〕1号" in text
    assert "未提出陈述、申辩" in text and "六十日内" in text and "六个月内" in text and "申请信用修复" in text
    row = register_row(store, doc["id"])
    with store.read() as session:
        record = session.get(CreditRecord, row.breach_record_id)
    assert (row.status, record.kind, record.publicity_status) == ("breached", "breach", "public")
    assert record.decision_no == decision["number"] and record.department_code == "QZ-SCJG"
    assert [event.payload["decision_number"] for event in shared(store)] == [decision["number"]]
    check = client.get(f"/api/v1/check/{SUBJECT_A}", headers=bearer(dept)).get_json()
    assert any(m["record_id"] == record.id for m in check["active_measures"])
    events = kinds_of_events(store, doc["id"])
    assert events.index("breach_noticed") < events.index("timer_fired") < events.index("breach_decided")


def test_the_statement_is_filed_through_the_api_and_the_department_drops_the_breach(client, store, world):
    app1, dept, rev = token_for(client, "applicant1"), token_for(client, "dept1"), token_for(client, "reviewer1")
    doc = reported(client, "approval_substitute")
    task = open_task(doc, "statement")
    assert complete(client, rev, task["id"], doc["version"], statement="代为陈述").status_code == 403
    assert complete(client, dept, task["id"], doc["version"], statement="代为陈述").status_code == 403
    empty = complete(client, app1, task["id"], doc["version"], statement="")
    assert empty.status_code == 400 and "statement" in empty.get_json()["fields"]
    too_long = complete(client, app1, task["id"], doc["version"], statement="长" * 4001)
    assert too_long.status_code == 400 and "statement" in too_long.get_json()["fields"]
    not_text = complete(client, app1, task["id"], doc["version"], statement=["列表"])
    assert not_text.status_code == 400 and "statement" in not_text.get_json()["fields"]
    stated = complete(client, app1, task["id"], doc["version"], statement="冷库改造因设备到货延误，已于10月5日完成并验收")
    assert stated.status_code == 200, stated.get_json()
    doc = case_of(client, dept, doc["id"])
    decide = open_task(doc, "decide")
    statement_event = next(e for e in doc["events"] if e["kind"] == "task_completed" and e["bpmn_id"] == "statement")
    assert statement_event["after"]["data"]["statement"].startswith("冷库改造因设备到货延误")
    no_reason = complete(client, dept, decide["id"], doc["version"], decision="drop")
    assert no_reason.status_code == 400 and "reason" in no_reason.get_json()["fields"]
    bad = complete(client, dept, decide["id"], doc["version"], decision="maybe")
    assert bad.status_code == 400 and "decision" in bad.get_json()["fields"]
    done = complete(client, dept, decide["id"], doc["version"], decision="drop",
                    reason="陈述申辩理由成立，延误系不可归责于承诺人的原因").get_json()
    assert (done["status"], done["outcome"]) == ("completed", "breach_dropped")
    assert [l["type"] for l in done["letters"]] == ["commitment", "breach_notice"]
    assert register_row(store, doc["id"]).status == "cleared"
    assert breach_records(store) == 0 and shared(store) == []
    assert "breach_dropped" in kinds_of_events(store, doc["id"])
    with store.read() as session:
        told = session.scalars(select(Notification.message).where(Notification.username == "applicant1")).all()
    assert any("不予认定违诺" in message for message in told)


def test_the_decision_quotes_the_statement_and_how_it_was_considered(client, store, department_issuer):
    app1, dept = token_for(client, "applicant1"), token_for(client, "dept1")
    doc = reported(client)
    doc = complete(client, app1, open_task(doc, "statement")["id"], doc["version"],
                   statement="改造已完成百分之八十").get_json()
    done = complete(client, dept, open_task(case_of(client, dept, doc["id"]), "decide")["id"], doc["version"],
                    decision="confirm", reason="承诺期限届满时未完成，陈述申辩理由不能成立").get_json()
    text = flat(client, app1, letter_of(done, "breach_decision"))
    assert "改造已完成百分之八十" in text and "陈述申辩理由不能成立" in text and ISSUER["issuer_name"] in text


def test_a_department_files_a_commitment_only_as_its_own_accepting_department(client, store, world, other_department):
    dept = token_for(client, "dept1")
    refused = commit(client, dept, department_code="QZ-STHJ")
    assert refused.status_code == 400 and "department_code" in refused.get_json()["fields"]
    implied = commit(client, dept, department_code="")
    assert implied.status_code == 201, implied.get_json()
    assert implied.get_json()["department_code"] == "QZ-SCJG"
    assert register_row(store, implied.get_json()["id"]).department_code == "QZ-SCJG"
    by_applicant = commit(client, token_for(client, "applicant1"), department_code="QZ-STHJ")
    assert by_applicant.status_code == 201 and by_applicant.get_json()["department_code"] == "QZ-STHJ"


def test_a_broken_repair_commitment_reopens_the_repaired_record(client, runtime, store, make_record,
                                                               department_issuer):
    record_id = make_record("2026-05-10")
    app1, rev, dept = token_for(client, "applicant1"), token_for(client, "reviewer1"), token_for(client, "dept1")
    repair = file_request(client, app1, [record_id]).get_json()
    code = letter_of(repair, "commitment")["number"]
    with store.read() as session:
        row = session.scalars(select(Commitment).where(Commitment.code == code)).one()
        watchers = session.scalar(select(func.count()).select_from(Case).where(Case.kind == "commitment"))
        record = session.get(CreditRecord, record_id)
    assert (row.commitment_type, row.source, row.origin_case_id, row.record_ids) == ("repair", "repair", repair["id"],
                                                                                      [record_id])
    assert (row.case_id, row.status, watchers) == (None, "filed", 0)  # made, binding only once the repair is granted
    staff = client.get(f"/api/v1/commitments/{code}", headers=bearer(dept)).get_json()
    assert (staff["commitment_type"], staff["origin_case_id"], staff["record_ids"]) == ("repair", repair["id"], [record_id])
    approved = repair_decided(client, repair).get_json()  # Order 36: the office forwards, the department decides
    assert approved["outcome"] == "approved" and record_doc(client, rev, record_id)["publicity_status"] == "stopped"
    with store.read() as session:
        row = session.scalars(select(Commitment).where(Commitment.code == code)).one()
        watcher = session.scalars(select(Case).where(Case.kind == "commitment")).one()
    assert (row.case_id, row.status, row.verify_on) == (watcher.id, "accepted", record.publicity_max_end)
    assert (watcher.department_code, watcher.status) == ("QZ-SCJG", "running")
    body = {"fulfilment": "false", "unfulfilled": "修复后再次销售不符合食品安全标准的食品"}
    doc = client.post(f"/api/v1/cases/{watcher.id}/breach", headers=bearer(dept), json=body).get_json()
    assert record_doc(client, rev, record_id)["publicity_status"] == "stopped"  # not before the decision
    doc = complete(client, app1, open_task(doc, "statement")["id"], doc["version"], waived=True).get_json()
    done = complete(client, dept, open_task(case_of(client, dept, doc["id"]), "decide")["id"], doc["version"],
                    decision="confirm").get_json()
    assert done["outcome"] == "breached"
    assert record_doc(client, rev, record_id)["publicity_status"] == "public"
    with store.read() as session:
        history = session.scalars(select(RecordHistory).where(RecordHistory.record_id == record_id,
                                                              RecordHistory.action == "publicity_reopened")).one()
    assert history.case_id == watcher.id and history.after["until"] == record.publicity_max_end.isoformat()
    text = flat(client, app1, letter_of(done, "breach_decision"))
    assert "信用修复型" in text and record.decision_no in text and "恢复公示" in text
    assert ISSUER["issuer_name"] in text
    assert shared(store)[0].payload["reopened_records"] == [record_id]
    login(client, "dept1")
    detail = client.get(f"/commitments/{code}").get_data(as_text=True)
    assert 'id="commitment-origin"' in detail and f"/records/{record_id}" in detail and "已违诺" in detail


def test_a_kept_repair_commitment_is_verified_at_the_records_maximum_end(client, runtime, clock, store, make_record):
    record_id = make_record("2026-05-10")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    code = letter_of(repair, "commitment")["number"]
    assert repair_decided(client, repair).get_json()["outcome"] == "approved"
    with store.read() as session:
        row = session.scalars(select(Commitment).where(Commitment.code == code)).one()
    with store.read() as session:
        assert row.verify_on == session.get(CreditRecord, record_id).publicity_max_end  # 2027-05-10 (一般, 1 year)
    clock.set(f"{row.verify_on.isoformat()}T09:00:01+08:00")
    assert runtime.engine.fire_due_timers() >= 1
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, row.case_id)
    done = complete(client, dept, open_task(doc, "verify")["id"], doc["version"], fulfilment="full").get_json()
    assert (done["status"], done["outcome"]) == ("completed", "fulfilled")
    assert register_row(store, row.case_id).status == "fulfilled"
    assert [event.payload["code"] for event in shared(store, "commitment_fulfilled")] == [code]


@pytest.mark.parametrize("ending", ["refused", "withdrawn"])
def test_a_repair_commitment_never_binds_when_the_repair_is_not_granted(client, store, make_record, ending):
    """Refused or withdrawn: the commitment made for the repair is void, not watched, not published."""
    record_id = make_record("2026-05-10")
    app1 = token_for(client, "applicant1")
    repair = file_request(client, app1, [record_id]).get_json()
    code = letter_of(repair, "commitment")["number"]
    if ending == "refused":
        done = repair_decided(client, repair, decision="reject", reason="整改材料与处罚事项不符").get_json()
        assert done["outcome"] == "rejected"
    else:
        done = client.post(f"/api/v1/cases/{repair['id']}/withdraw", headers=bearer(app1), json={}).get_json()
        assert done["outcome"] == "withdrawn"
    with store.read() as session:
        row = session.scalars(select(Commitment).where(Commitment.code == code)).one()
        watchers = session.scalar(select(func.count()).select_from(Case).where(Case.kind == "commitment"))
    assert (row.status, row.case_id, watchers) == ("rejected" if ending == "refused" else "withdrawn", None, 0)
    assert "repair_commitment_void" in kinds_of_events(store, repair["id"])
    public = client.get("/api/v1/public/commitments", query_string={"q": code})
    assert public.status_code == 200 and public.get_json()["items"] == []
