"""Repair training: sessions, enrollment (capacity, also under concurrency), attendance and the
培训证明 letter, the online platform's attendance CSV (all or none), certificate checks."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from stdnum.cn import uscc

from workflows.archive.lookup import find_genuine
from workflows.people.access import Actor
from workflows.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from workflows.core.models.letters import Letter
from workflows.core.models.training import Enrollment, TrainingSession
from workflows.people.subjects import register_subject
from workflows.training.service import (
    cancel_enrollment,
    create_session,
    enroll,
    import_attendance,
    record_attendance,
    verify_certificate,
)

from tests.support.letters import drain_letters
from tests.support.training import (ADMIN, COMPANY, HEADER, NAMES, OTHER, PERSON, REVIEWER, SESSION, URL,
                                    letter_count, pdf_text)


def uscc_code(n: int) -> str:
    base = f"9135010000000{n:04d}"
    return base + uscc.calc_check_digit(base)


def new_session(store, clock, **changes) -> int:
    with store.write() as uow:
        row = create_session(uow.session, SESSION | changes, ADMIN, clock.now())
        uow.commit()
    return row.id


def enrolled(store, clock, session_id: int, code: str = COMPANY, attendee: str = "陈志明", actor: Actor = REVIEWER):
    with store.write() as uow:
        row = enroll(uow.session, session_id, code, attendee, actor, clock.now())
        uow.commit()
    return row


def attend(store, clock, enrollment_id: int, attended: bool = True) -> Enrollment:
    with store.write() as uow:
        row = record_attendance(uow.session, enrollment_id, attended, REVIEWER, clock.now(), URL)
        uow.commit()
    return row


def test_attending_issues_a_numbered_certificate_letter(store, clock, subjects):
    session_id = new_session(store, clock)
    row = enrolled(store, clock, session_id)
    assert (row.status, row.subject_name, row.certificate_no) == ("enrolled", NAMES[COMPANY], None)
    clock.set("2026-10-10T16:00:00+08:00")
    row = attend(store, clock, row.id)
    assert row.status == "attended" and row.certificate_no == "泉信用培〔2026〕1号"
    drain_letters(store, clock)
    with store.read() as session:
        letter = session.get(Letter, row.certificate_letter_id)
        assert letter.number == row.certificate_no and letter.subject_code == COMPANY and letter.case_id is None
        text = pdf_text(letter.pdf)
        assert find_genuine(session, row.certificate_no, letter.verification_code) is not None
    assert NAMES[COMPANY] in text and row.certificate_no in text
    assert "陈志明" in text and "2026年第四期信用修复专题培训" in text and "泉州市信用服务行业协会" in text
    with store.write() as uow, pytest.raises(Conflict, match="已出具培训证明"):
        record_attendance(uow.session, row.id, False, REVIEWER, clock.now(), URL)


def test_session_fields_are_checked_with_chinese_messages(store, clock):
    with store.write() as uow:
        with pytest.raises(InvalidInput) as err:
            create_session(uow.session, {"mode": "by post", "capacity": 0, "starts_at": "10月10日"}, ADMIN, clock.now())
        assert set(err.value.fields) == {"course", "provider", "mode", "capacity", "starts_at"}
        assert err.value.fields["capacity"] == "名额应为 1 至 10000 之间的整数"
        with pytest.raises(InvalidInput) as err:
            create_session(uow.session, SESSION | {"place": ""}, ADMIN, clock.now())
        assert err.value.fields == {"place": "线下培训请填写培训地点"}
        online = create_session(uow.session, SESSION | {"mode": "线上", "place": "", "starts_at": "2026-10-10T09:00"},
                                ADMIN, clock.now())
        assert online.mode == "online" and online.status == "open" and online.created_by == "admin1"
        assert online.starts_at.isoformat() == "2026-10-10T01:00:00+00:00"  # no offset: Beijing time


def test_a_full_session_refuses_and_a_cancellation_frees_the_place(store, clock, subjects):
    session_id = new_session(store, clock, capacity=1)
    first = enrolled(store, clock, session_id)
    with pytest.raises(Conflict, match="本场培训名额已满"):
        enrolled(store, clock, session_id, OTHER, "林海")
    with store.write() as uow:
        cancel_enrollment(uow.session, first.id, REVIEWER, clock.now())
        uow.commit()
    assert enrolled(store, clock, session_id, OTHER, "林海").status == "enrolled"


def test_a_subject_cannot_enroll_twice(store, clock, subjects):
    session_id = new_session(store, clock)
    enrolled(store, clock, session_id)
    with pytest.raises(Conflict, match="已报名本场培训，不能重复报名"):
        enrolled(store, clock, session_id, "91350100m000100y43", "王五")  # same code, as typed


def test_applicants_enroll_only_their_own_existing_subject(store, clock, subjects):
    session_id = new_session(store, clock)
    applicant = Actor("zhangsan", frozenset({"applicant"}), subject_code=PERSON)
    with pytest.raises(Forbidden):
        enrolled(store, clock, session_id, COMPANY, actor=applicant)
    row = enrolled(store, clock, session_id, PERSON, "", actor=applicant)
    assert row.attendee == "张三" and row.enrolled_by == "zhangsan"  # a person attends in person
    with pytest.raises(InvalidInput, match="尚未登记"):
        enrolled(store, clock, session_id, uscc_code(1))
    with pytest.raises(InvalidInput) as err:
        enrolled(store, clock, session_id, OTHER, "")
    assert "attendee" in err.value.fields


def test_absent_issues_no_certificate_and_early_attendance_is_refused(store, clock, subjects):
    session_id = new_session(store, clock)
    row = enrolled(store, clock, session_id)
    with pytest.raises(RuleViolation, match="培训尚未举行"):
        attend(store, clock, row.id)
    clock.set("2026-10-10T16:00:00+08:00")
    row = attend(store, clock, row.id, attended=False)
    assert (row.status, row.certificate_no, row.certificate_letter_id) == ("absent", None, None)
    assert letter_count(store) == 0
    with pytest.raises(Conflict, match="本场培训已结束"):
        clock.set("2026-10-11T09:00:00+08:00")
        enrolled(store, clock, session_id, OTHER, "林海")


def test_capacity_holds_under_concurrent_enrollment(store, clock, subjects):
    codes = [uscc_code(n) for n in range(8)]
    with store.write() as uow:
        for code in codes:
            register_subject(uow.session, code, f"企业{code[-4:]}", clock.now())
        uow.commit()
    session_id = new_session(store, clock, capacity=3)
    start, outcomes = threading.Barrier(len(codes)), []

    def try_enroll(code: str) -> None:
        start.wait()
        try:
            enrolled(store, clock, session_id, code)
            outcomes.append("ok")
        except Conflict as err:
            outcomes.append(err.message)

    threads = [threading.Thread(target=try_enroll, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 3 and len(outcomes) == 8
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 3


def run_import(store, clock, session_id: int, lines: list[str]):
    with store.write() as uow:
        report = import_attendance(uow.session, session_id, "\ufeff" + "\n".join(lines) + "\n", REVIEWER,
                                   clock.now(), URL)
        if not report.errors:
            uow.commit()
    return report


def statuses(store, session_id: int) -> dict[str, tuple[str, str | None, str]]:
    with store.read() as session:
        rows = session.scalars(select(Enrollment).where(Enrollment.session_id == session_id))
        return {row.subject_code: (row.status, row.certificate_no, row.attendee) for row in rows}


def test_attendance_import_is_all_or_nothing(store, clock, subjects):
    session_id = new_session(store, clock, mode="online", place="")
    for code, attendee in ((COMPANY, "陈志明"), (OTHER, "林海"), (PERSON, "")):
        enrolled(store, clock, session_id, code, attendee)
    clock.set("2026-10-10T18:00:00+08:00")
    bad = run_import(store, clock, session_id, [
        "线上培训平台导出", HEADER, f"{COMPANY},陈志明,是", f"{uscc_code(5)},赵六,是", f"{OTHER},林海,完成",
        f"{COMPANY},陈志明,是"])
    assert [(e.row, e.column) for e in bad.errors] == [
        (4, "统一社会信用代码或身份证号码"), (5, "是否完成"), (6, "统一社会信用代码或身份证号码")]
    assert [e.message for e in bad.errors] == ["该主体未报名本场培训", "是否完成应填写“是”或“否”", "同一主体在文件中出现多次"]
    assert statuses(store, session_id)[COMPANY][0] == "enrolled" and letter_count(store) == 0
    good = [HEADER, f"{COMPANY},陈志明（法定代表人）,是", f" {OTHER.lower()} ,林海,否", f"{PERSON},,是"]
    report = run_import(store, clock, session_id, good)
    assert (report.total, report.attended, report.absent, report.unchanged, report.errors) == (3, 2, 1, 0, [])
    now = statuses(store, session_id)
    assert now[COMPANY] == ("attended", "泉信用培〔2026〕1号", "陈志明（法定代表人）")
    assert now[OTHER] == ("absent", None, "林海") and now[PERSON] == ("attended", "泉信用培〔2026〕2号", "张三")
    again = run_import(store, clock, session_id, good)
    assert (again.attended, again.unchanged) == (0, 3) and letter_count(store) == 2
    refused = run_import(store, clock, session_id, [HEADER, f"{COMPANY},陈志明,否"])
    assert refused.errors[0].message == "已出具培训证明 泉信用培〔2026〕1号，不能改为未完成"
    assert run_import(store, clock, session_id, ["代码,姓名", "1,2"]).errors[0].message.startswith("未找到表头")


def test_a_certificate_counts_only_for_its_own_subject(store, clock, subjects):
    session_id = new_session(store, clock)
    company, other = enrolled(store, clock, session_id), enrolled(store, clock, session_id, OTHER, "林海")
    clock.set("2026-10-10T16:00:00+08:00")
    number = attend(store, clock, company.id).certificate_no
    attend(store, clock, other.id, attended=False)
    with store.read() as session:
        assert verify_certificate(session, COMPANY, number).id == company.id
        assert verify_certificate(session, COMPANY, " 泉信用培[2026]1号 ").id == company.id  # as typed
        assert verify_certificate(session, OTHER, number) is None
        assert verify_certificate(session, COMPANY, "泉信用培〔2026〕2号") is None
        assert verify_certificate(session, "not a code", number) is None


@pytest.mark.parametrize("changes, field", [
    ({"starts_at": "0936-05-01T09:00:00"}, "starts_at"), ({"starts_at": "9999-12-31T23:00:00+08:00"}, "starts_at"),
    ({"course": "课" * 201}, "course"), ({"provider": "办\x00"}, "provider"), ({"capacity": "9" * 5000}, "capacity"),
    ({"mode": ["offline"]}, "mode")])
def test_a_session_outside_the_limits_is_refused_by_field(store, clock, changes, field):
    """A year-936 session was once stored and then served as +08:05:43 to everyone."""
    with pytest.raises(InvalidInput) as refused:
        new_session(store, clock, **changes)
    assert field in refused.value.fields
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Letter)) == 0
        assert session.scalar(select(func.count()).select_from(TrainingSession)) == 0
