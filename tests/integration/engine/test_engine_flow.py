"""The test flow driven through the engine API: lanes, DMN, timers, messages, signals, call activity."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from workflows.people.access import Actor
from workflows.core.clock import as_utc
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import Case, CaseEvent, HumanTask, Notification

from tests.support.engine_cases import SUBJECT, open_tasks


def events(store, case_id: int) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.id)))


def load_case(store, case_id: int) -> Case:
    with store.read() as session:
        return session.get(Case, case_id)


def start(engine, reviewer, severity="general"):
    return engine.start_case("test_case", SUBJECT, {"severity": severity}, reviewer)


def test_start_projects_review_task_with_working_day_due_time(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    assert (task.bpmn_id, task.name, task.lane, task.assignee) == ("review", "审核", "reviewer", None)
    # received Wednesday 2026-09-30: one working day → 2026-10-08 (National Day holiday)
    assert as_utc(task.due_at) == datetime.fromisoformat("2026-10-08T23:59:59+08:00")
    stored = load_case(store, case.id)
    assert stored.status == "running" and stored.version == 1
    assert as_utc(stored.next_timer_at) == as_utc(task.due_at)
    assert events(store, case.id) == ["case_started", "task_created"]


def test_dmn_decides_review_days_by_severity(engine, store, reviewer):
    case = start(engine, reviewer, severity="serious")
    [task] = open_tasks(store, case.id)
    # three working days after 09-30: 10-08, 10-09 and Saturday 10-10 (a make-up working day)
    assert as_utc(task.due_at) == datetime.fromisoformat("2026-10-10T23:59:59+08:00")


def test_approve_path_runs_action_and_closes_case(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.claim(task.id, reviewer)
    done = engine.complete_task(task.id, {"decision": "approve"}, reviewer, expected_version=2)
    stored = load_case(store, case.id)
    assert (done.status, stored.status, stored.outcome) == ("completed", "completed", "approved")
    assert stored.next_timer_at is None and stored.closed_at is not None
    assert open_tasks(store, case.id) == []
    with store.read() as session:
        row = session.get(HumanTask, task.id)
    assert (row.state, row.completed_by) == ("completed", "reviewer1")
    assert events(store, case.id)[-4:] == ["task_claimed", "task_completed", "outcome", "case_closed"]


def test_reject_path(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.complete_task(task.id, {"decision": "reject", "reason": "材料不全"}, reviewer)
    assert load_case(store, case.id).outcome == "rejected"


def test_lane_roles_guard_tasks(engine, store, reviewer, applicant):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    with pytest.raises(Forbidden):
        engine.complete_task(task.id, {"decision": "approve"}, applicant)
    with pytest.raises(Forbidden):
        engine.claim(task.id, applicant)
    assert load_case(store, case.id).version == 1
    assert open_tasks(store, case.id)[0].assignee is None


def test_claim_unclaim_assign(engine, store, reviewer, supervisor):
    other = Actor("reviewer2", frozenset({"reviewer"}))
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.claim(task.id, reviewer)
    assert open_tasks(store, case.id)[0].assignee == "reviewer1"
    with pytest.raises(Conflict):
        engine.claim(task.id, other)
    with pytest.raises(Conflict):
        engine.complete_task(task.id, {"decision": "approve"}, other)
    with pytest.raises(Forbidden):
        engine.unclaim(task.id, other)
    with pytest.raises(Forbidden):
        engine.assign(task.id, "reviewer2", other)
    engine.unclaim(task.id, reviewer)
    assert open_tasks(store, case.id)[0].assignee is None
    with pytest.raises(InvalidInput):  # no such user in the database
        engine.assign(task.id, "nobody", supervisor)
    assert events(store, case.id).count("task_claimed") == 1
    assert "task_unclaimed" in events(store, case.id)


def test_assign_to_a_user_of_the_lane(engine, store, reviewer, supervisor):
    from workflows.people.subjects import register_subject
    from workflows.people.users import create_user
    with store.write() as uow:
        register_subject(uow.session, SUBJECT, "泉州某某食品有限公司", engine.clock.now())
        create_user(uow.session, "reviewer2", "secret-pass", ["reviewer"], engine.clock.now())
        create_user(uow.session, "applicant9", "secret-pass", ["applicant"], engine.clock.now(),
                    subject_code=SUBJECT)
        uow.commit()
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.assign(task.id, "reviewer2", supervisor)
    assert open_tasks(store, case.id)[0].assignee == "reviewer2"
    with pytest.raises(InvalidInput):
        engine.assign(task.id, "applicant9", supervisor)
    with store.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "task_assigned")).one()
    assert (event.actor, event.before, event.after) == ("supervisor1", {"assignee": None}, {"assignee": "reviewer2"})


def test_overdue_timer_escalates_and_task_stays_open(engine, store, clock, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    clock.set("2026-10-08T23:00:00+08:00")
    assert engine.fire_due_timers() == 0
    clock.set("2026-10-09T00:00:01+08:00")
    assert engine.fire_due_timers() == 1
    [still_open] = open_tasks(store, case.id)
    assert still_open.id == task.id and still_open.overdue is True
    assert as_utc(still_open.due_at) == datetime.fromisoformat("2026-10-08T23:59:59+08:00")
    kinds = events(store, case.id)
    assert "timer_fired" in kinds and "sla_breach" in kinds
    with store.read() as session:
        note = session.scalars(select(Notification)).one()
        stored = session.get(Case, case.id)
    assert (note.role, note.kind, note.case_id) == ("supervisor", "sla_breach", case.id)
    assert stored.next_timer_at is None and stored.status == "running"
    assert engine.fire_due_timers() == 0  # fired once only


def test_message_boundary_suspends_and_resume_reopens_review(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.send_message(case.id, "suspend", {"reason": "异议"}, reviewer)
    assert open_tasks(store, case.id) == []
    with store.read() as session:
        assert session.get(HumanTask, task.id).state == "cancelled"
    with pytest.raises(Conflict):
        engine.send_message(case.id, "suspend", {}, reviewer)
    engine.send_message(case.id, "resume", {}, reviewer)
    [reopened] = open_tasks(store, case.id)
    assert reopened.bpmn_id == "review" and reopened.id != task.id
    assert events(store, case.id).count("task_cancelled") == 1


def test_signal_withdraws_whole_case(engine, store, reviewer, applicant):
    case = start(engine, reviewer)
    engine.send_message(case.id, "withdraw", None, applicant)
    stored = load_case(store, case.id)
    assert (stored.status, stored.outcome, stored.next_timer_at) == ("completed", "withdrawn", None)
    assert open_tasks(store, case.id) == []
    with pytest.raises(Conflict):
        engine.send_message(case.id, "withdraw", None, applicant)


def test_call_activity_supplement_in_applicant_lane(engine, store, reviewer, applicant):
    stranger = Actor("applicant2", frozenset({"applicant"}), subject_code="91350200MA2Y4G5U0E")
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    engine.complete_task(task.id, {"decision": "supplement", "reason": "补充材料"}, reviewer)
    [supplement] = open_tasks(store, case.id)
    assert (supplement.bpmn_id, supplement.lane, supplement.subject_code) == ("provide_info", "applicant", SUBJECT)
    with pytest.raises(Forbidden):
        engine.complete_task(supplement.id, {"note": "x"}, stranger)
    engine.complete_task(supplement.id, {"note": "已补充"}, applicant)
    [review_again] = open_tasks(store, case.id)
    assert review_again.bpmn_id == "review"


def test_stale_version_and_completed_task_conflict(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    with pytest.raises(Conflict):
        engine.complete_task(task.id, {"decision": "approve"}, reviewer, expected_version=99)
    assert load_case(store, case.id).version == 1
    engine.complete_task(task.id, {"decision": "approve"}, reviewer, expected_version=1)
    with pytest.raises(Conflict):
        engine.complete_task(task.id, {"decision": "approve"}, reviewer)


def test_bad_task_data_is_refused_and_changes_nothing(engine, store, reviewer):
    case = start(engine, reviewer)
    [task] = open_tasks(store, case.id)
    for bad in ({"deadline": 1}, {"_x": 1}, {"not valid": 1}, ["decision"], {"received_at": "x"}):
        with pytest.raises(InvalidInput):
            engine.complete_task(task.id, bad, reviewer)
    assert load_case(store, case.id).version == 1
    with pytest.raises(NotFound):
        engine.complete_task("00000000-0000-0000-0000-000000000000", {}, reviewer)


def test_unknown_case_kind(engine, reviewer):
    with pytest.raises(NotFound):
        engine.start_case("no_such_flow", SUBJECT, {}, reviewer)


def test_audit_log_records_actor_and_time(engine, store, clock, reviewer):
    case = start(engine, reviewer)
    with store.read() as session:
        first = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).first()
        total = session.scalar(select(func.count()).select_from(CaseEvent))
    assert first.actor == "reviewer1" and as_utc(first.at) == clock.now()
    assert first.after == {"data": {"severity": "general"}}
    assert total == 2
