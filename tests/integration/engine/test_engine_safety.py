"""Concurrency, crash safety, spec-set versioning and serialization of the engine."""
from __future__ import annotations

import json
import shutil
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from workflows.engine.case_engine import CaseEngine
from workflows.core.errors import CaseError, Conflict
from workflows.core.models.cases import Case, CaseEvent, HumanTask, SpecSet
from workflows.engine.specs import SpecLibrary

from tests.support.engine_cases import SUBJECT, open_tasks
from tests.support.flow_kinds import DATA_DIR


def snapshot(store, case_id: int) -> tuple:
    with store.read() as session:
        case = session.get(Case, case_id)
        tasks = session.execute(select(HumanTask.id, HumanTask.state, HumanTask.assignee)
                                .where(HumanTask.case_id == case_id).order_by(HumanTask.id)).all()
        n_events = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        return case.version, case.status, case.workflow_json, case.next_timer_at, tuple(tasks), n_events


def run_together(*calls):
    """Run callables at the same moment in threads; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def runner(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as err:  # noqa: BLE001 - collected for assertions
            results[i] = err

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_actors_complete_same_task_one_conflict(engine, store, reviewer, supervisor):
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    [task] = open_tasks(store, case.id)
    results = run_together(
        lambda: engine.complete_task(task.id, {"decision": "approve"}, reviewer, expected_version=1),
        lambda: engine.complete_task(task.id, {"decision": "reject", "reason": "x"}, supervisor, expected_version=1),
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    successes = [r for r in results if isinstance(r, Case)]
    assert len(conflicts) == 1 and len(successes) == 1, results
    with store.read() as session:
        stored = session.get(Case, case.id)
        completions = session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "task_completed"))
    assert completions == 1 and stored.version == 2
    assert stored.outcome == ("approved" if successes[0].outcome == "approved" else "rejected")


def test_action_failure_rolls_back_the_whole_step(engine, store, reviewer, monkeypatch):
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    [task] = open_tasks(store, case.id)
    engine.claim(task.id, reviewer)
    before = snapshot(store, case.id)

    def exploding(ctx, outcome):
        ctx.record("half_written", "should vanish")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(engine.kinds.actions, "set_outcome", exploding)
    with pytest.raises(CaseError) as caught:
        engine.complete_task(task.id, {"decision": "approve"}, reviewer)
    assert caught.value.http_status == 500
    assert snapshot(store, case.id) == before
    monkeypatch.undo()
    done = engine.complete_task(task.id, {"decision": "approve"}, reviewer)
    assert done.outcome == "approved"


def test_domain_error_from_action_reaches_caller_unchanged(engine, store, reviewer, monkeypatch):
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    [task] = open_tasks(store, case.id)
    before = snapshot(store, case.id)

    def refuse(ctx, outcome):
        raise Conflict("记录已被异议中止")

    monkeypatch.setitem(engine.kinds.actions, "set_outcome", refuse)
    with pytest.raises(Conflict, match="异议"):
        engine.complete_task(task.id, {"decision": "approve"}, reviewer)
    assert snapshot(store, case.id) == before


def test_spec_set_stored_once_and_running_cases_keep_theirs(store, clock, reviewer, tmp_path, test_kinds):
    flows = tmp_path / "flows"
    shutil.copytree(DATA_DIR, flows)
    first = CaseEngine(store, SpecLibrary(flows), clock, kinds=test_kinds)
    CaseEngine(store, SpecLibrary(flows), clock, kinds=test_kinds)  # same files: no second row
    old_case = first.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    bpmn = flows / "test_flow.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace('name="审核"', 'name="复核"'), encoding="utf-8")
    second = CaseEngine(store, SpecLibrary(flows), clock, kinds=test_kinds)
    new_case = second.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(SpecSet)) == 2
    old_task, new_task = open_tasks(store, old_case.id)[0], open_tasks(store, new_case.id)[0]
    assert (old_task.name, new_task.name) == ("审核", "复核")
    assert old_case.spec_set_id != new_case.spec_set_id
    # A fresh engine (no cache) still runs the old case on its stored spec set.
    third = CaseEngine(store, SpecLibrary(flows), clock, kinds=test_kinds)
    assert third.complete_task(old_task.id, {"decision": "approve"}, reviewer).outcome == "approved"


def test_dates_and_decimals_survive_a_save(engine, store, reviewer):
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    with store.read() as session:
        row = session.get(Case, case.id)
    bundle = engine.specs.get(None, row.spec_set_id)
    spec, subs = bundle.process("test_case")
    workflow = engine.serializer.loads(row.workflow_json, spec, subs)
    workflow.data.update({"fine": Decimal("12345.67"), "decided_on": date(2026, 9, 1)})
    again = engine.serializer.loads(engine.serializer.dumps(workflow), spec, subs)
    assert again.data["fine"] == Decimal("12345.67") and isinstance(again.data["fine"], Decimal)
    assert again.data["decided_on"] == date(2026, 9, 1) and type(again.data["decided_on"]) is date
    stored = json.loads(row.workflow_json)  # the spec lives in spec_set, not in every case
    assert "spec" not in stored and "subprocess_specs" not in stored


def test_parallel_sweepers_fire_each_timer_once(engine, store, clock, reviewer, db_url, test_specs, test_kinds):
    cases = [engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer) for _ in range(8)]
    clock.set("2026-10-09T08:00:00+08:00")
    other = CaseEngine(engine.store.__class__(engine.store.engine), test_specs, clock, kinds=test_kinds)
    results = run_together(engine.fire_due_timers, other.fire_due_timers)
    assert all(isinstance(r, int) for r in results), results
    with store.read() as session:
        breaches = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "sla_breach"))
        overdue = session.scalar(select(func.count()).select_from(HumanTask).where(HumanTask.overdue.is_(True)))
    assert breaches == len(cases) and overdue == len(cases)
    assert sum(results) == len(cases)
