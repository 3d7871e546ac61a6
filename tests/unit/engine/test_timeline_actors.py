"""Who a timeline row credits: a person for their own act, 系统（自动） for what their step did on
its own, 系统（到期） for a timer and what it set off — also when the rows are microseconds apart."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from workflows.engine.timeline import AUTOMATIC, ON_TIME, readable_summary, shown_actors
from workflows.kinds.common.timeline_words import words_for

NAMES = {"applicant1": "清源食品 陈志明", "dept1": "市场监管局 陈静", "client:platform": "对接系统：platform"}
T0 = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)


@dataclass
class Event:
    actor: str
    kind: str
    summary: str = ""
    at: datetime = T0
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def test_a_filing_step_credits_the_applicant_with_the_filing_only():
    step = [Event("applicant1", "case_started", "applicant1 发起案件"), Event("applicant1", "letter_issued"),
            Event("applicant1", "accepted"), Event("applicant1", "task_created")]
    assert shown_actors(step, NAMES) == ["清源食品 陈志明", AUTOMATIC, AUTOMATIC, AUTOMATIC]


def test_a_timer_step_reads_as_time_running_out_even_microseconds_apart():
    later = T0 + timedelta(days=9)
    step = [Event("system", "sla_breach", at=later), Event("system", "task_created", at=later + timedelta(microseconds=40)),
            Event("system", "timer_fired", at=later + timedelta(microseconds=90)),
            Event("system", "letter_archived", at=later + timedelta(microseconds=95))]
    assert shown_actors(step, NAMES) == [ON_TIME, ON_TIME, ON_TIME, AUTOMATIC]


def test_a_connected_system_is_credited_by_its_name_and_the_system_never_by_a_username():
    rows = [Event("client:platform", "case_started"), Event("system", "message_received")]
    assert shown_actors(rows, NAMES) == ["对接系统：platform", AUTOMATIC]


def test_decisions_and_outcomes_read_in_words_with_the_reason():
    words = words_for("repair")
    decided = Event("dept1", "task_completed", "完成任务“认定部门决定”", after={"data": {"decision": "reject", "reason": " 材料不足 "}})
    closed = Event("dept1", "case_closed", "案件办结：rejected", after={"outcome": "rejected"})
    assert readable_summary(decided, NAMES, words) == "完成任务“认定部门决定”：不予修复。理由：材料不足"
    assert readable_summary(closed, NAMES, words) == "案件办结：不予修复"
    assert readable_summary(Event("x", "case_closed", after={"outcome": "rejected"}), NAMES, words_for("objection")) \
        == "案件办结：不予受理"
    unknown = Event("dept1", "task_completed", "完成任务“X”", after={"data": {"decision": "weird"}})
    assert readable_summary(unknown, NAMES, words_for("nokind")) == "完成任务“X”"  # never the raw key
