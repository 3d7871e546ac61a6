"""Stored state stays loadable: a committed workflow dump, the schema, the sweeper thread."""
from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from SpiffWorkflow.util.task import TaskState

from workflows.engine import spiff_clock
from workflows.core.models.base import Base
from workflows.background.scheduler import TimerSweeper
from workflows.engine.serializer import SERIALIZER_VERSION, CaseSerializer

from tests.support.flow_kinds import DATA_DIR

DUMP = DATA_DIR / "dumps" / "test_case_supplement_v1.5.json"


def test_serializer_version_is_pinned():
    assert SERIALIZER_VERSION == "1.5"


def test_a_stored_dump_with_a_subprocess_loads_and_continues(test_specs, engine):
    """Guards library upgrades: the 1.4→1.5 migration once broke subprocess dumps."""
    stored = json.loads(DUMP.read_text(encoding="utf-8"))
    assert stored["serializer_version"] == SERIALIZER_VERSION
    spec, subs = test_specs.current.process("test_case")
    workflow = CaseSerializer().loads(json.dumps(stored["workflow"]), spec, subs)
    workflow.script_engine = engine.script_engine
    [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert (str(task.id), task.task_spec.bpmn_id, task.task_spec.lane) == (
        stored["open_task"], "provide_info", "applicant")
    task.data["note"] = "已补正"
    with spiff_clock.bound_clock(engine.clock):  # the frozen test time: no timer is due
        task.run()
        workflow.do_engine_steps()
    [review] = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert review.task_spec.bpmn_id == "review" and review.data["reason"] == "补正"


def test_migrations_match_the_models(store):
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_sweeper_thread_fires_due_timers(engine, store, clock, reviewer):
    engine.start_case("test_case", "91350100M000100Y43", {"severity": "general"}, reviewer)
    clock.set("2026-10-09T08:00:00+08:00")
    sweeper = TimerSweeper(engine, interval_seconds=0.05)
    assert sweeper.sweep_once() == 1
    sweeper.start()
    sweeper.stop()
    sweeper.join(5)
    assert not sweeper.is_alive()
