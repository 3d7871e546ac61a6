"""Inbox queries over the human_task projection: visibility, filters, order, counts."""
from __future__ import annotations

from workflows.people.access import Actor
from workflows.engine.inbox import InboxFilter, inbox, inbox_counts

from tests.support.engine_cases import SUBJECT, open_tasks


def ids(rows):
    return [task.case_id for task, _case in rows]


def test_inbox_sorted_by_due_time_and_filtered(engine, store, clock, reviewer, supervisor, applicant):
    serious = engine.start_case("test_case", SUBJECT, {"severity": "serious"}, reviewer)  # due 10-10
    general = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)  # due 10-08
    engine.claim(open_tasks(store, serious.id)[0].id, reviewer)
    with store.read() as session:
        now = clock.now()
        assert ids(inbox(session, reviewer, InboxFilter(), now)) == [general.id, serious.id]
        assert ids(inbox(session, reviewer, InboxFilter(assignee_me=True), now)) == [serious.id]
        assert ids(inbox(session, reviewer, InboxFilter(unclaimed=True), now)) == [general.id]
        assert ids(inbox(session, supervisor, InboxFilter(), now)) == [general.id, serious.id]
        assert inbox(session, applicant, InboxFilter(), now) == []
        assert inbox(session, Actor("a", frozenset({"auditor"})), InboxFilter(), now) == []
        page = inbox(session, reviewer, InboxFilter(), now, limit=1)
        first = page[0][0]
        rest = inbox(session, reviewer, InboxFilter(), now, after=(first.due_at, first.id))
        assert ids(page + rest) == [general.id, serious.id]
        assert inbox_counts(session, reviewer, now) == {
            "mine": 1, "group": 2, "unclaimed": 1, "due_today": 0, "overdue": 0}
    clock.set("2026-10-08T09:00:00+08:00")
    with store.read() as session:
        now = clock.now()
        assert ids(inbox(session, reviewer, InboxFilter(due_today=True), now)) == [general.id]
    clock.set("2026-10-09T09:00:00+08:00")
    with store.read() as session:
        assert ids(inbox(session, reviewer, InboxFilter(overdue=True), clock.now())) == [general.id]


def test_applicant_sees_own_supplement_task_only(engine, store, clock, reviewer, applicant):
    other = Actor("applicant2", frozenset({"applicant"}), subject_code="91350200MA2Y4G5U0E")
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    engine.complete_task(open_tasks(store, case.id)[0].id, {"decision": "supplement", "reason": "x"}, reviewer)
    with store.read() as session:
        assert [t.bpmn_id for t, _ in inbox(session, applicant, InboxFilter(), clock.now())] == ["provide_info"]
        assert inbox(session, other, InboxFilter(), clock.now()) == []
        assert inbox(session, reviewer, InboxFilter(), clock.now()) == []
