"""Interviews under issue 14 (SQLite and PostgreSQL, frozen clock 2026-09-30): letters in the
designating department's name, the key-attention list only after notice, statement and decision
(国办发〔2020〕49号), and an absence barring repair only when unjustified, for the DMN period."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support.api_cases import (
    SUBJECT_A,
    case_of,
    complete,
    file_request,
    letter_text,
    open_task,
    start_interview,
)
from tests.support.web import bearer, login, token_for
from workflows.core.config import DEFAULT_BPMN_DIR
from workflows.core.models.cases import Case, OutboxEvent
from workflows.core.models.people import Department
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning
from workflows.engine.rules import RuleBook
from workflows.kinds.repair.facts import eligibility_facts

TOPICS = ["policy", "measures", "repair"]
DEPT_ISSUER = "泉州市市场监督管理局"
OFFICE = "泉州市社会信用体系建设领导小组办公室"  # letters/issuers.json's default issuer


@pytest.fixture
def issuing_department(store, world) -> None:
    """QZ-SCJG with issuer details of its own (as an admin sets them at /admin/departments)."""
    with store.write() as uow:
        department = uow.session.get(Department, "QZ-SCJG")
        department.issuer_name, department.phone = DEPT_ISSUER, "0595-22000101"
        department.number_prefixes = {"default": "泉市监信", "interview_notice": "泉市监约",
                                      "key_attention_notice": "泉市监关告", "key_attention_decision": "泉市监关决"}
        uow.commit()


def _flat(text: str) -> str:
    return "".join(text.split())


def _letter(doc, letter_type):
    return next(item for item in doc["letters"] if item["type"] == letter_type)


def _to_follow_up(client, runtime, clock, record_id, kind="warning"):
    """A warning interview held on 09-30 with 5 working days to rectify, followed up on 10-15."""
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id], kind=kind).get_json()
    doc = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=True, topics_covered=TOPICS,
                   rectification_plan="建立进货查验制度", rectification_due_days=5).get_json()
    clock.set("2026-10-15T00:00:01+08:00")  # 5 working days after 09-30 end on 10-13 (10-10 a make-up day)
    assert runtime.engine.fire_due_timers() == 1
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, doc["id"])
    return complete(client, dept, open_task(doc, "follow_up")["id"], doc["version"], rectified=False).get_json()


def _listed(store) -> list[CreditRecord]:
    with store.read() as session:
        return list(session.scalars(select(CreditRecord).where(CreditRecord.kind == "key_attention")))


def _shared(store, case_id) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(OutboxEvent.kind).where(OutboxEvent.case_id == case_id)))


def test_listing_after_notice_statement_and_decision(client, runtime, clock, store, make_record, issuing_department):
    record_id = make_record("2026-05-10")
    doc = _to_follow_up(client, runtime, clock, record_id)
    app1 = token_for(client, "applicant1")
    notice = _letter(doc, "key_attention_notice")
    assert notice["number"] == "泉市监关告〔2026〕1号"
    text = _flat(letter_text(client, app1, notice))
    assert text.startswith(DEPT_ISSUER) and OFFICE not in text
    for fact in ("拟列入重点关注名单告知书", "本机关拟将你单位列入重点关注名单", "国办发〔2020〕49号",
                 "未在约谈确定的期限（2026年10月13日前）内完成整改", "限制适用告知承诺制",
                 "自列入之日起满一年且期间未再发生失信行为的，移出重点关注名单",
                 "五个工作日内（2026年10月22日前）", "陈述、申辩的权利", "作出决定前，你单位不列入重点关注名单"):
        assert fact in text, fact
    assert _listed(store) == [] and "key_attention_listed" not in _shared(store, doc["id"])
    statement_task = open_task(doc, "state_defence")
    assert statement_task["due_at"] == "2026-10-22T23:59:59+08:00"  # 5 working days after 10-15, to 24:00

    said = "进货查验制度已于10月20日建立，附整改报告，请求不予列入"
    stated = complete(client, app1, statement_task["id"], doc["version"], defence=said)
    assert stated.status_code == 200, stated.get_json()
    doc = stated.get_json()
    assert any(e["kind"] == "defence_filed" and e["after"]["defence"] == said for e in doc["events"])
    login(client, "applicant1")
    page = client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)
    assert said in page and "泉市监关告〔2026〕1号" in page and 'id="defence-form"' not in page
    client.post("/logout")
    login(client, "dept1")
    desk = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert said in desk and 'name="listing"' in desk
    client.post("/logout")
    assert _listed(store) == []

    dept = token_for(client, "dept1")
    missing = complete(client, dept, open_task(doc, "decide_listing")["id"], doc["version"], listing="list")
    assert missing.status_code == 400 and "listing_reason" in missing.get_json()["fields"]
    clock.set("2026-10-16T10:00:00+08:00")
    dept = token_for(client, "dept1")
    done = complete(client, dept, open_task(doc, "decide_listing")["id"], doc["version"], listing="list",
                    listing_reason="整改报告未附查验记录，所称整改尚未完成，不予采纳").get_json()
    assert done["outcome"] == "listed"
    [entry] = _listed(store)
    decision = _letter(done, "key_attention_decision")
    assert decision["number"] == "泉市监关决〔2026〕1号" == entry.decision_no
    assert (entry.severity, entry.publicity_status, entry.department_code) == ("serious", "public", "QZ-SCJG")
    assert "key_attention_listed" in _shared(store, doc["id"])
    text = _flat(letter_text(client, token_for(client, "applicant1"), decision))
    assert text.startswith(DEPT_ISSUER) and OFFICE not in text
    for fact in ("列入重点关注名单决定书", "泉市监关告〔2026〕1号《拟列入重点关注名单告知书》", said,
                 "整改报告未附查验记录", "本机关决定将你单位列入重点关注名单", "移出条件",
                 "六十日内", "六个月内依法向人民法院提起行政诉讼"):
        assert fact in text, fact


def test_silence_until_the_period_ends_then_not_listed(client, runtime, clock, store, make_record):
    record_id = make_record("2026-05-10")
    doc = _to_follow_up(client, runtime, clock, record_id, kind="prompt")
    clock.set("2026-10-22T23:00:00+08:00")
    assert runtime.engine.fire_due_timers() == 0  # the period runs to 24:00 of 10-22
    clock.set("2026-10-23T00:00:01+08:00")
    assert runtime.engine.fire_due_timers() == 1
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, doc["id"])
    assert not [t for t in doc["tasks"] if t["bpmn_id"] == "state_defence" and t["state"] == "ready"]
    login(client, "dept1")
    assert "当事人在规定期限内未提出陈述、申辩" in client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    done = complete(client, dept, open_task(doc, "decide_listing")["id"], doc["version"], listing="not_list",
                    listing_reason="已在期限届满前整改到位").get_json()
    assert done["outcome"] == "not_listed" and _listed(store) == []
    assert not any(item["type"] == "key_attention_decision" for item in done["letters"])
    client.post("/logout")
    login(client, "applicant1")
    assert "不予列入" in client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)


def test_the_subject_states_in_the_portal(client, runtime, clock, store, make_record):
    record_id = make_record("2026-05-10")
    doc = _to_follow_up(client, runtime, clock, record_id)
    login(client, "applicant1")
    page = client.get(f"/portal/cases/{doc['id']}").get_data(as_text=True)
    assert 'id="defence-form"' in page and "2026-10-22" in page
    task_id = open_task(doc, "state_defence")["id"]
    empty = client.post(f"/portal/cases/{doc['id']}/defence", data={"task_id": task_id, "version": doc["version"],
                                                                   "defence": ""})
    assert empty.status_code == 400 and "陈述申辩意见" in empty.get_data(as_text=True)
    sent = client.post(f"/portal/cases/{doc['id']}/defence", follow_redirects=True, data={
        "task_id": task_id, "version": doc["version"], "defence": "已整改，附照片"})
    assert sent.status_code == 200 and "已整改，附照片" in sent.get_data(as_text=True)
    assert _listed(store) == []
    assert open_task(case_of(client, token_for(client, "dept1"), doc["id"]), "decide_listing")


def test_unjustified_absence_bars_repair_for_the_dmn_period_and_the_subject_sees_it(
        client, runtime, clock, store, make_record, issuing_department):
    record_id = make_record("2026-05-10")
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id]).get_json()
    missing = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=False)
    assert missing.status_code == 400 and "absence_justified" in missing.get_json()["fields"]
    done = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=False,
                    absence_justified=False, absence_note="经电话催告仍未到场").get_json()
    record_letter = _flat(letter_text(client, dept, _letter(done, "interview_record")))
    assert "无正当理由拒不参加约谈" in record_letter and DEPT_ISSUER in record_letter
    assert _letter(done, "key_attention_notice") and _listed(store) == []
    notice = _flat(letter_text(client, dept, _letter(done, "key_attention_notice")))
    assert "无正当理由未参加定于2026年10月12日的提示约谈" in notice
    with store.read() as session:
        refused = session.scalars(select(CreditRecord).where(CreditRecord.category == "refused")).one()
        record = session.get(CreditRecord, record_id)
        rules = RuleBook.from_directory(DEFAULT_BPMN_DIR)
        barred = eligibility_facts(session, record, 0, date(2027, 9, 29), rules)["refused_interview"]
        free = eligibility_facts(session, record, 0, date(2027, 9, 30), rules)["refused_interview"]
    assert refused.bars_repair_until == date(2027, 9, 30) and (barred, free) == (True, False)
    login(client, "applicant1")
    home = client.get("/portal/").get_data(as_text=True)
    assert 'id="repair-bar"' in home and "2027年9月30日" in home
    subject = client.get(f"/api/v1/subjects/{SUBJECT_A}", headers=bearer(token_for(client, "applicant1"))).get_json()
    assert any(r["bars_repair_until"] == "2027-09-30" for r in subject["records"])


def test_justified_absence_neither_bars_nor_escalates(client, store, make_record):
    record_id = make_record("2026-05-10")
    dept = token_for(client, "dept1")
    doc = start_interview(client, dept, [record_id]).get_json()
    no_reason = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=False,
                         absence_justified=True)
    assert no_reason.status_code == 400 and "absence_note" in no_reason.get_json()["fields"]
    done = complete(client, dept, open_task(doc, "conduct")["id"], doc["version"], attended=False,
                    absence_justified=True, absence_note="法定代表人住院，提交了医院证明").get_json()
    assert done["outcome"] == "absent_justified"
    assert "有正当理由" in _flat(letter_text(client, dept, _letter(done, "interview_record")))
    assert not any(item["type"] == "key_attention_notice" for item in done["letters"])
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CreditRecord).where(
            CreditRecord.kind == "interview_record")) == 0
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    assert "拒不参加" not in next(e["summary"] for e in repair["events"] if e["kind"] == "eligibility_checked")
    login(client, "applicant1")
    assert 'id="repair-bar"' not in client.get("/portal/").get_data(as_text=True)


def test_records_of_two_departments_are_never_one_interview(client, store, make_record, other_department):
    own, foreign = make_record("2026-05-10"), make_record("2026-05-11")
    with store.write() as uow:
        record = uow.session.get(CreditRecord, foreign)
        record.department_code, record.department_name = "QZ-STHJ", "泉州市生态环境局"
        uow.commit()
    with store.read() as session:
        before = session.scalar(select(func.count()).select_from(Case))
    mixed = start_interview(client, token_for(client, "supervisor1"), [own, foreign])
    assert mixed.status_code == 422, mixed.get_json()
    body = mixed.get_json()
    assert "泉州市市场监督管理局" in body["message"] and "泉州市生态环境局" in body["message"]
    assert "record_ids" in body["fields"]
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before


def test_a_warning_across_departments_is_interviewed_by_each_designator(
        client, clock, store, make_record, other_department, issuing_department):
    own, foreign = make_record("2026-05-10"), make_record("2026-05-11")
    with store.write() as uow:
        record = uow.session.get(CreditRecord, foreign)
        record.department_code, record.department_name = "QZ-STHJ", "泉州市生态环境局"
        warning = EarlyWarning(subject_code=SUBJECT_A, subject_name="泉州市清源食品有限公司", status="open",
                               reasons={"departments_365d": 2}, evidence={"record_ids": [own, foreign]},
                               created_at=clock.now(), updated_at=clock.now())
        uow.session.add(warning)
        uow.commit()
        warning_id = warning.id
    supervisor = token_for(client, "supervisor1")
    whole = start_interview(client, supervisor, [], warning_id=warning_id)
    assert whole.status_code == 422 and "应由各认定部门分别约谈" in whole.get_json()["message"]
    doc = start_interview(client, supervisor, [foreign], warning_id=warning_id).get_json()
    with store.read() as session:
        assert session.get(Case, doc["id"]).department_code == "QZ-STHJ"
    # QZ-STHJ has no issuer details: the credit office's header stands in and the text says who decided
    text = _flat(letter_text(client, supervisor, _letter(doc, "interview_notice")))
    assert text.startswith(OFFICE) and "泉州市生态环境局（认定部门）决定对你单位进行提示约谈，由本机关代为通知" in text
    assert "本机关作为认定部门" not in text
    login(client, "dept1")
    page = client.get(f"/desk/interviews/new?warning={warning_id}").get_data(as_text=True)
    assert f'value="{own}"' in page and f'value="{foreign}"' not in page  # only its own records
    dept = start_interview(client, token_for(client, "dept1"), [], warning_id=warning_id).get_json()
    text = _flat(letter_text(client, supervisor, _letter(dept, "interview_notice")))
    assert text.startswith(DEPT_ISSUER) and "本机关作为认定部门，决定对你单位进行提示约谈" in text
    assert _letter(dept, "interview_notice")["number"] == "泉市监约〔2026〕1号"


def test_desk_records_an_unjustified_absence_and_decides_the_listing(client, runtime, clock, store, make_record):
    import re
    record_id = make_record("2026-05-10")
    doc = start_interview(client, token_for(client, "dept1"), [record_id]).get_json()
    login(client, "dept1")
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'id="absence_justified-no"' in page

    def submit(page, **data):
        task_id = re.search(r"/desk/tasks/([0-9a-f-]+)/complete", page).group(1)
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        return client.post(f"/desk/tasks/{task_id}/complete", follow_redirects=True,
                           data={"version": version, "case_id": doc["id"], **data}).get_data(as_text=True)

    undecided = submit(page, attended="no", absence_note="未到场")
    assert "请说明被约谈方未到场是否有正当理由" in undecided
    page = submit(client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True), attended="no",
                  absence_justified="no", absence_note="经电话催告仍未到场")
    assert "拟列入重点关注名单告知书" in page
    clock.set("2026-10-14T00:00:01+08:00")  # 5 working days after 09-30 end on 10-13 (10-10 a make-up day)
    assert runtime.engine.fire_due_timers() == 1
    page = client.get(f"/desk/cases/{doc['id']}").get_data(as_text=True)
    assert 'name="listing"' in page and "当事人在规定期限内未提出陈述、申辩" in page
    done = submit(page, listing="list", listing_reason="无正当理由拒不参加约谈，且期限内未陈述申辩")
    assert "列入重点关注名单决定书" in done
    assert [r.kind for r in _listed(store)] == ["key_attention"]


def test_desk_refuses_mixing_departments_from_a_warning(client, clock, store, make_record, other_department):
    own, foreign = make_record("2026-05-10"), make_record("2026-05-11")
    with store.write() as uow:
        record = uow.session.get(CreditRecord, foreign)
        record.department_code, record.department_name = "QZ-STHJ", "泉州市生态环境局"
        warning = EarlyWarning(subject_code=SUBJECT_A, subject_name="泉州市清源食品有限公司", status="open",
                               reasons={"departments_365d": 2}, evidence={"record_ids": [own, foreign]},
                               created_at=clock.now(), updated_at=clock.now())
        uow.session.add(warning)
        uow.commit()
        warning_id = warning.id
    login(client, "supervisor1")
    page = client.post("/desk/interviews/new", follow_redirects=True, data={
        "warning": warning_id, "record_ids": [own, foreign], "interview_kind": "prompt",
        "scheduled_at": "2026-10-12T09:30", "place": "约谈室", "officers": "王五"}).get_data(as_text=True)
    assert "应由各认定部门分别约谈" in page and "泉州市生态环境局" in page
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_the_credit_office_row_standing_in_says_who_decided(client, store, make_record):
    """QZ-SCJG has no issuer details: the configured issuer stands in (not the office's own row,
    whose details differ), and the text still says the department decided."""
    from workflows.people.subjects import register_department
    with store.write() as uow:
        register_department(uow.session, "QZ-XYB", OFFICE)
        office = uow.session.get(Department, "QZ-XYB")
        office.issuer_name, office.number_prefixes = "泉州市信用办（测试）", {"interview_notice": "泉信约测"}
        uow.commit()
    dept = token_for(client, "dept1")
    notice = _letter(start_interview(client, dept, [make_record("2026-05-10")]).get_json(), "interview_notice")
    assert notice["number"] == "泉信用约〔2026〕1号"
    text = _flat(letter_text(client, dept, notice))
    assert text.startswith(OFFICE) and "本机关作为认定部门" not in text
    assert "泉州市市场监督管理局（认定部门）决定对你单位进行提示约谈，由本机关代为通知" in text


@pytest.mark.parametrize("received, decided", [("2023-03-01T10:00:00+08:00", "2022-12-01"),  # 527
                                                ("2024-06-03T10:00:00+08:00", "2024-03-01"),  # Order 58
                                                ("2025-08-01T10:00:00+08:00", "2025-07-01")])  # 22号
def test_under_every_regime_the_designating_department_issues(client, clock, make_record, issuing_department,
                                                              received, decided):
    clock.set(received)
    record_id = make_record(decided)
    dept = token_for(client, "dept1")
    notice = _letter(start_interview(client, dept, [record_id], scheduled_at=received[:10] + "T15:00:00+08:00")
                     .get_json(), "interview_notice")
    assert notice["number"] == f"泉市监约〔{received[:4]}〕1号"
    text = _flat(letter_text(client, dept, notice))
    assert text.startswith(DEPT_ISSUER) and OFFICE not in text and "本机关作为认定部门" in text
