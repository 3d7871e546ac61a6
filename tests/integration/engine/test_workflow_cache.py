"""The engine keeps the live workflow a committed step left, and never trusts it over the row."""
from __future__ import annotations

import pytest

from sqlalchemy import select

from workflows.core.errors import CaseError, Conflict
from workflows.core.models.cases import CaseEvent
from workflows.engine.case_engine import CaseEngine
from workflows.engine.workflow_cache import WorkflowCache

from tests.integration.engine.test_engine_safety import snapshot
from tests.support.engine_cases import SUBJECT, open_tasks


def test_the_next_step_reuses_the_workflow_and_saves_the_same_state(engine, store, clock, reviewer, test_specs,
                                                                   test_kinds):
    cold = CaseEngine(store, test_specs, clock, kinds=test_kinds, workflow_cache=WorkflowCache(0))
    warm_case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    cold_case = cold.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    for running, case in ((engine, warm_case), (cold, cold_case)):
        [task] = open_tasks(store, case.id)
        running.claim(task.id, reviewer)
        running.complete_task(task.id, {"decision": "approve"}, reviewer)
    assert (engine.workflows.hits, engine.workflows.misses) == (2, 0)
    assert (cold.workflows.hits, len(cold.workflows)) == (0, 0)
    warm, cold_state = snapshot(store, warm_case.id), snapshot(store, cold_case.id)
    assert warm[0:2] == cold_state[0:2] == (3, "completed")  # version, status
    assert [t[1:] for t in warm[4]] == [t[1:] for t in cold_state[4]] == [("completed", "reviewer1")]
    assert event_kinds(store, warm_case.id) == event_kinds(store, cold_case.id)
    assert "case_closed" in event_kinds(store, warm_case.id)


def event_kinds(store, case_id: int) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def test_a_write_by_another_engine_is_seen_not_the_cached_workflow(engine, store, clock, reviewer, supervisor,
                                                                   test_specs, test_kinds):
    """Two processes each keep their own cache; the row lock and the JSON decide."""
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    [task] = open_tasks(store, case.id)
    other = CaseEngine(engine.store.__class__(engine.store.engine), test_specs, clock, kinds=test_kinds)
    other.claim(task.id, supervisor)
    with pytest.raises(Conflict, match="认领"):  # this engine's cached copy has no holder; the row has one
        engine.claim(task.id, reviewer)
    assert engine.workflows.misses == 1 and engine.workflows.hits == 0
    done = other.complete_task(task.id, {"decision": "approve"}, supervisor)
    assert done.outcome == "approved" and snapshot(store, case.id)[1] == "completed"


def test_a_failed_step_does_not_leave_its_half_run_workflow_behind(engine, store, reviewer, monkeypatch):
    case = engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)
    [task] = open_tasks(store, case.id)
    before = snapshot(store, case.id)

    def exploding(ctx, outcome):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(engine.kinds.actions, "set_outcome", exploding)
    with pytest.raises(CaseError):
        engine.complete_task(task.id, {"decision": "approve"}, reviewer)
    assert len(engine.workflows) == 0 and snapshot(store, case.id) == before
    monkeypatch.undo()
    assert engine.complete_task(task.id, {"decision": "approve"}, reviewer).outcome == "approved"
    assert engine.workflows.misses == 1  # read again from the row, which the failure left untouched


def test_the_cache_keeps_the_most_recent_cases_up_to_its_size():
    cache, workflows = WorkflowCache(2), [object(), object(), object()]
    for case_id, workflow in enumerate(workflows, start=1):
        cache.keep(case_id, f"json-{case_id}", workflow)
    assert len(cache) == 2 and cache.take(1, "json-1") is None
    assert cache.take(2, "json-2") is workflows[1] and cache.take(2, "json-2") is None  # taken: owned once
    assert cache.take(3, "other json") is None and len(cache) == 0
    off = WorkflowCache(0)
    off.keep(1, "json", workflows[0])
    assert len(off) == 0
