"""The records service on SQLite and PostgreSQL: create, check, suspend/resume, amend, expire."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from workflows import records
from workflows.core.errors import Conflict, InvalidInput
from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory

from tests.support.records import COMPANY, PERSON, create, make_case, record_data


def change(store, clock, verb, record_id, *args, **kwargs):
    with store.write() as uow:
        record = records.lock_record(uow.session, record_id)
        result = verb(uow.session, record, "officer1", clock.now(), *args, **kwargs)
        uow.commit()
        return result


def amend(session, record, actor, now, changes, *args, **kwargs):
    return records.amend_record(session, record, changes, actor, now, *args, **kwargs)


def document(store, record_id: int, show_personal: bool = True) -> dict:
    with store.read() as session:
        return records.full_record_document(session, records.get_record(session, record_id),
                                            show_personal=show_personal)


def check(store, code: str = COMPANY) -> dict:
    with store.read() as session:
        return records.check_subject(session, code)


def test_create_judges_regime_and_window_and_writes_history(store, rules, clock):
    record_id = create(store, rules, clock, severity="serious")
    doc = document(store, record_id)
    assert (doc["regime"], doc["publicity_status"]) == ("order36", "public")
    assert (doc["publicity_start"], doc["publicity_min_end"], doc["publicity_max_end"]) == (
        "2026-05-10", "2027-05-10", "2029-05-10")
    assert doc["fine_amount"] == "20000.00" and doc["created_by"] == "dept1"
    assert [(m["name"], m["state"]) for m in doc["measures"]] == [
        ("限制参加政府采购", "active"), ("列为重点监管对象", "active")]
    [created] = doc["history"]
    assert (created["action"], created["after"]["decision_no"]) == ("created", "泉市监罚〔2026〕12号")
    with store.read() as session:
        assert session.get(Subject, COMPANY).name == "泉州市清源食品有限公司"
        assert records.earliest_repair_date(records.get_record(session, record_id), rules) == date(2027, 5, 10)


def test_old_records_expire_at_once_and_minor_ones_are_not_published(store, rules, clock):
    old = document(store, create(store, rules, clock, decision_no="A-1", decision_date="2021-03-01"))
    assert (old["regime"], old["publicity_status"], old["publicity_max_end"]) == ("527", "expired", "2022-03-01")
    minor = document(store, create(store, rules, clock, decision_no="A-2", severity="minor"))
    assert (minor["publicity_status"], minor["publicity_start"], minor["earliest_repair_date"]) == (
        "not_published", None, None)
    assert [m["state"] for m in minor["measures"]] == ["active", "active"]


def test_bad_input_names_every_field_and_stores_nothing(store, rules, clock):
    bad = record_data(subject_code="91350100M000100Y44", kind="fine", decision_date="2026-10-01",
                      facts="", decision_no=None, fine_amount="-5", measures=[{"basis": "无名称"}])
    with store.write() as uow, pytest.raises(InvalidInput) as err:
        records.create_record(uow.session, rules, bad, "dept1", clock.now())
    fields = err.value.fields
    assert fields["subject_code"] == "校验位不符：第18位应为3"
    assert "fine" in fields["kind"] and "penalty" in fields["kind"]
    assert fields["decision_date"] == "决定日期不能晚于今天（2026-09-30）"
    assert fields["facts"] == "请填写失信行为事实" and fields["decision_no"] == "请填写决定书文号"
    assert fields["fine_amount"] == "罚款金额不能为负数"
    assert fields["measures[0].name"] == "请填写措施名称"
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CreditRecord)) == 0
        assert session.scalar(select(func.count()).select_from(Subject)) == 0


def test_unknown_subject_needs_a_name_and_duplicates_conflict(store, rules, clock):
    with store.write() as uow, pytest.raises(InvalidInput) as err:
        records.create_record(uow.session, rules, record_data(subject_name=""), "dept1", clock.now())
    assert err.value.fields == {"subject_name": "请填写主体名称"}
    create(store, rules, clock)
    with store.write() as uow, pytest.raises(Conflict):
        records.create_record(uow.session, rules, record_data(subject_name=""), "dept1", clock.now())
    create(store, rules, clock, kind="serious_list", subject_name="")  # other kind, known subject


def test_check_follows_suspend_resume_and_terminate(store, rules, clock):
    record_id = create(store, rules, clock)
    assert [m["name"] for m in check(store)["active_measures"]] == ["限制参加政府采购", "列为重点监管对象"]
    case_id = make_case(store, clock)
    change(store, clock, records.suspend_record, record_id, case_id, "当事人对处罚内容提出异议")
    suspended = check(store)
    assert suspended["active_measures"] == [] and len(suspended["suspended_measures"]) == 2
    entry = suspended["suspended_measures"][0]
    assert (entry["record_id"], entry["record_decision_no"], entry["case_id"]) == (record_id, "泉市监罚〔2026〕12号", case_id)
    assert f"异议案件 {case_id}" in entry["reason"]
    assert document(store, record_id)["publicity_status"] == "suspended"

    change(store, clock, records.resume_record, record_id, case_id, "维持原认定")
    resumed = check(store)
    assert len(resumed["active_measures"]) == 2 and resumed["suspended_measures"] == []
    assert document(store, record_id)["publicity_status"] == "public"

    repair = make_case(store, clock, "repair")
    lifted = change(store, clock, records.terminate_measures, record_id, repair, "信用修复")
    assert [m.state for m in lifted] == ["terminated", "terminated"]
    assert check(store) == {"code": COMPANY, "name": "泉州市清源食品有限公司",
                            "active_measures": [], "suspended_measures": []}
    actions = [h["action"] for h in document(store, record_id)["history"]]
    assert actions == ["created", "suspended", "resumed", "measures_terminated"]


def test_resume_restores_exactly_what_was_suspended_and_may_extend(store, rules, clock):
    record_id = create(store, rules, clock)
    with store.read() as session:
        first, second = (m.id for m in records.record_measures(session, record_id))
    change(store, clock, records.terminate_measures, record_id, None, "部门解除", measure_ids=[second])
    case_id = make_case(store, clock)
    change(store, clock, records.suspend_record, record_id, case_id, "异议")
    with store.write() as uow, pytest.raises(Conflict):
        records.suspend_record(uow.session, records.get_record(uow.session, record_id), "x", clock.now(), case_id, "再次")
    other = make_case(store, clock)
    with store.write() as uow, pytest.raises(Conflict):
        records.resume_record(uow.session, records.get_record(uow.session, record_id), "x", clock.now(), other)
    clock.advance(timedelta(days=10))
    change(store, clock, records.resume_record, record_id, case_id, "维持", extend=True)
    doc = document(store, record_id)
    assert {m["id"]: m["state"] for m in doc["measures"]} == {first: "active", second: "terminated"}
    assert (doc["publicity_status"], doc["publicity_min_end"], doc["publicity_max_end"]) == (
        "public", "2026-08-20", "2027-05-20")
    resumed = doc["history"][-1]
    assert resumed["after"]["extended_days"] == 10 and resumed["before"]["publicity_max_end"] == "2027-05-10"
    with store.write() as uow, pytest.raises(Conflict):
        records.resume_record(uow.session, records.get_record(uow.session, record_id), "x", clock.now(), case_id)


def test_stopped_and_revoked_records_bind_nobody(store, rules, clock):
    stopped = create(store, rules, clock, decision_no="B-1")
    revoked = create(store, rules, clock, decision_no="B-2")
    case_id = make_case(store, clock, "repair")
    assert change(store, clock, records.stop_publicity, stopped, case_id, "信用修复") is True
    assert change(store, clock, records.stop_publicity, stopped, case_id, "信用修复") is False
    change(store, clock, records.revoke_record, revoked, case_id, "认定错误")
    assert check(store)["active_measures"] == []
    assert document(store, stopped)["publicity_status"] == "stopped"
    doc = document(store, revoked)
    assert doc["publicity_status"] == "revoked" and {m["state"] for m in doc["measures"]} == {"terminated"}
    assert doc["history"][-1]["before"]["publicity_status"] == "public"
    with store.write() as uow, pytest.raises(Conflict):
        records.stop_publicity(uow.session, records.get_record(uow.session, revoked), "x", clock.now(), None, "")


def test_amend_keeps_old_values_in_history_and_rejudges_the_window(store, rules, clock):
    record_id = create(store, rules, clock)
    case_id = make_case(store, clock)
    changed = change(store, clock, amend, record_id, {"facts": "更正后的事实", "severity": "serious"},
                     case_id, "异议更正", rules=rules)
    assert changed["facts"] == "更正后的事实" and changed["publicity_max_end"] == date(2029, 5, 10)
    doc = document(store, record_id)
    assert (doc["facts"], doc["severity"], doc["publicity_min_end"]) == ("更正后的事实", "serious", "2027-05-10")
    amended = doc["history"][-1]
    assert amended["action"] == "amended" and amended["case_id"] == case_id
    assert amended["before"]["facts"] == "生产经营标签不符合规定的预包装食品"
    assert amended["before"]["severity"] == "general" and amended["before"]["publicity_max_end"] == "2027-05-10"
    assert amended["after"]["reason"] == "异议更正"
    for bad in ({"decision_date": "明天"}, {"subject_code": PERSON}, {}):
        with store.write() as uow, pytest.raises(InvalidInput):
            records.amend_record(uow.session, records.get_record(uow.session, record_id), bad, "x", clock.now(),
                                 rules=rules)
    assert change(store, clock, amend, record_id, {"facts": "更正后的事实"}, rules=rules) == {}


def test_expire_due_records_is_idempotent(store, rules, clock):
    due = create(store, rules, clock, decision_no="C-1", decision_date="2025-09-30")  # gb22 general: to 2026-09-30
    later = create(store, rules, clock, decision_no="C-2", decision_date="2025-10-01")
    assert document(store, due)["publicity_status"] == "expired"  # max_end == today: display stopped
    with store.write() as uow:
        uow.session.get(CreditRecord, due).publicity_status = "public"  # as if created yesterday
        uow.commit()
    with store.write() as uow:
        assert records.expire_due_records(uow.session, date(2026, 9, 30)) == 1
        uow.commit()
    with store.write() as uow:
        assert records.expire_due_records(uow.session, date(2026, 9, 30)) == 0
        assert records.expire_due_records(uow.session, date(2026, 10, 1)) == 1
        uow.commit()
    assert document(store, due)["history"][-1]["action"] == "expired"
    assert (document(store, due)["publicity_status"], document(store, later)["publicity_status"]) == ("expired", "expired")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(RecordHistory).where(RecordHistory.action == "expired")) == 2
        assert session.scalar(select(func.count()).select_from(PunishmentMeasure)) == 4


def test_personal_id_numbers_are_masked_unless_allowed(store, rules, clock):
    record_id = create(store, rules, clock, subject_code=PERSON, subject_name="张三")
    assert document(store, record_id, show_personal=False)["subject_code"] == "1101**********002X"
    assert document(store, record_id, show_personal=True)["subject_code"] == PERSON
    with store.read() as session:
        assert records.check_subject(session, PERSON, show_personal=False)["code"] == "1101**********002X"
        subject = records.subject_document(session, PERSON, show_personal=False)
        assert subject["records"][0]["subject_code"] == "1101**********002X"
        with pytest.raises(InvalidInput) as err:
            records.check_subject(session, "9135010")
        assert err.value.message == "主体代码应为18位统一社会信用代码或公民身份号码，实际为7位"
