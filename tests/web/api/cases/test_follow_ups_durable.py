"""Follow-ups of a committed step are durable (SQLite and PostgreSQL, frozen clock): the
commitment-supervision case an approved repair opens is written as a row in the approval's
transaction and delivered after its commit; if the process dies between the two, the next sweep
opens it — exactly once, however many deliverers try."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.support.api_cases import file_request, repair_decided
from tests.support.web import token_for
from workflows.background.work import run_due_work
from workflows.core.models.cases import Case, CaseEvent, FollowUp
from workflows.core.models.commitments import Commitment
from workflows.engine.case_engine import CaseEngine


def _watchers(store) -> list[Case]:
    with store.read() as session:
        return list(session.scalars(select(Case).where(Case.kind == "commitment")))


def _waiting(store) -> list[FollowUp]:
    with store.read() as session:
        return list(session.scalars(select(FollowUp).order_by(FollowUp.id)))


def _approved_with_the_process_dying_after_the_commit(client, make_record, monkeypatch) -> dict:
    record_id = make_record("2026-05-10")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    with monkeypatch.context() as crash:
        crash.setattr(CaseEngine, "_deliver", lambda self, step: None)  # nothing after the commit runs
        approved = repair_decided(client, repair).get_json()
    assert approved["outcome"] == "approved"
    return repair


def test_an_approval_delivered_at_once_leaves_no_follow_up_behind(client, store, make_record):
    record_id = make_record("2026-05-10")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    assert repair_decided(client, repair).get_json()["outcome"] == "approved"
    assert [w.status for w in _watchers(store)] == ["running"] and _waiting(store) == []


def test_a_crash_after_the_approval_leaves_the_commitment_case_to_the_next_sweep(client, runtime, store,
                                                                                   make_record, monkeypatch):
    repair = _approved_with_the_process_dying_after_the_commit(client, make_record, monkeypatch)
    waiting = _waiting(store)
    assert [(f.origin_case_id, f.action, f.payload["kind"]) for f in waiting] == [(repair["id"], "start", "commitment")]
    assert _watchers(store) == []  # not opened yet: the delivery never ran

    assert run_due_work(runtime.engine)["follow_ups"] == 1
    (watcher,) = _watchers(store)
    with store.read() as session:
        commitment = session.scalars(select(Commitment).where(Commitment.origin_case_id == repair["id"])).one()
        started = session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == watcher.id, CaseEvent.kind == "case_started"))
    assert (watcher.status, watcher.department_code, started) == ("running", "QZ-SCJG", 1)
    assert (commitment.case_id, commitment.status) == (watcher.id, "accepted")
    assert _waiting(store) == []

    assert run_due_work(runtime.engine)["follow_ups"] == 0  # the next sweep finds nothing owed
    assert len(_watchers(store)) == 1


def test_two_deliverers_of_one_follow_up_open_one_case(client, runtime, store, make_record, monkeypatch):
    _approved_with_the_process_dying_after_the_commit(client, make_record, monkeypatch)
    (waiting,) = _waiting(store)
    assert runtime.engine.deliver_follow_up(waiting.id) is True
    assert runtime.engine.deliver_follow_up(waiting.id) is False  # e.g. the request and a sweep
    assert len(_watchers(store)) == 1 and _waiting(store) == []


def test_a_message_its_target_no_longer_waits_for_is_dropped_and_noted(client, runtime, store, make_record):
    record_id = make_record("2026-05-10")
    repair = file_request(client, token_for(client, "applicant1"), [record_id]).get_json()
    with runtime.store.write() as uow:
        row = FollowUp(origin_case_id=repair["id"], action="message", created_at=runtime.clock.now(),
                       payload={"case_id": repair["id"], "name": "objection_closed", "payload": {"objection_case": 0}})
        uow.session.add(row)
        uow.commit()
    assert run_due_work(runtime.engine)["follow_ups"] == 0
    with store.read() as session:
        noted = session.scalars(select(CaseEvent.summary).where(CaseEvent.case_id == repair["id"],
                                                                CaseEvent.kind == "message_ignored")).all()
    assert len(noted) == 1 and "objection_closed" in noted[0]
    assert _waiting(store) == []
