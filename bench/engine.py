"""Task completions per second: our `complete_task` vs the bare SpiffWorkflow cycle.

Same flow (tests/data/flows/test_flow.bpmn: review → supplement (call activity) → review …), same
number of cases and completions, same run. Ours includes the SQLite (WAL) transaction, the
row lock and version check, the human-task projection and the audit events.
Run: .venv/bin/python bench/engine.py [--cases 20 --steps 40] [--database-url URL]
Target (issue 2): ours ≥ 0.5 × bare.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.engine import spiff_clock  # noqa: E402
from workflows.people.access import Actor  # noqa: E402
from workflows.core.clock import FrozenClock  # noqa: E402
from workflows.core.db import make_engine  # noqa: E402
from workflows.engine.case_engine import CaseEngine  # noqa: E402
from workflows.engine.workflow_cache import WorkflowCache  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402
from workflows.core.models.cases import HumanTask  # noqa: E402
from workflows.engine.script_env import build_script_engine  # noqa: E402
from workflows.core.calendar import WorkingCalendar  # noqa: E402
from workflows.engine.specs import SpecLibrary  # noqa: E402
from workflows.core.store import Store  # noqa: E402
from tests.support.flow_kinds import test_flow_kinds  # noqa: E402

SUBJECT = "91350100M000100Y43"
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
APPLICANT = Actor("applicant1", frozenset({"applicant"}), subject_code=SUBJECT)


def answer(bpmn_id: str) -> dict:
    return {"decision": "supplement", "reason": "补正"} if bpmn_id == "review" else {"note": "已补正"}


def bare(library: SpecLibrary, cases: int, steps: int, clock) -> float:
    """deserialize → complete → engine steps → serialize, with the stock serializer (spec included)."""
    with spiff_clock.bound_clock(clock):  # same timer time source as ours: nothing fires
        return _bare(library, cases, steps, clock)


def _bare(library: SpecLibrary, cases: int, steps: int, clock) -> float:
    spec, subs = library.current.process("test_case")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    kinds = test_flow_kinds()
    script_engine = build_script_engine(lambda: WorkingCalendar(), clock, kinds.actions, kinds.predicates)
    dumps = []
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subs, script_engine=script_engine)
        workflow.get_tasks(state=TaskState.READY)[0].data.update(
            {"severity": "general", "received_at": "2026-09-30T10:00:00+08:00"})
        workflow.do_engine_steps()
        dumps.append(serializer.serialize_json(workflow))
    started = time.perf_counter()
    for _ in range(steps):
        for i in range(cases):
            workflow = serializer.deserialize_json(dumps[i])
            workflow.script_engine = script_engine
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(answer(task.task_spec.bpmn_id))
            task.run()
            workflow.do_engine_steps()
            dumps[i] = serializer.serialize_json(workflow)
    return cases * steps / (time.perf_counter() - started)


def ours(library: SpecLibrary, cases: int, steps: int, clock, url: str, cache: int) -> float:
    upgrade(url)
    store = Store(make_engine(url))
    engine = CaseEngine(store, library, clock, kinds=test_flow_kinds(), workflow_cache=WorkflowCache(cache))
    ids = [engine.start_case("test_case", SUBJECT, {"severity": "general"}, REVIEWER).id for _ in range(cases)]
    started = time.perf_counter()
    for _ in range(steps):
        for case_id in ids:
            with store.read() as session:
                task = session.scalars(select(HumanTask).where(
                    HumanTask.case_id == case_id, HumanTask.state == "ready")).one()
            actor = REVIEWER if task.lane == "reviewer" else APPLICANT
            engine.complete_task(task.id, answer(task.bpmn_id), actor)
    rate = cases * steps / (time.perf_counter() - started)
    store.engine.dispose()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workflow-cache", type=int, default=64,
                        help="live workflows the engine keeps (0: deserialise every step, like the bare cycle)")
    args = parser.parse_args()
    library = SpecLibrary(ROOT / "tests" / "data" / "flows")
    clock = FrozenClock("2026-09-30T10:00:00+08:00")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        bare_rate = bare(library, args.cases, args.steps, clock)
        our_rate = ours(library, args.cases, args.steps, clock, url, args.workflow_cache)
    print(f"flow: test_case, {args.cases} cases × {args.steps} completions")
    print(f"bare SpiffWorkflow cycle : {bare_rate:8.1f} completions/s")
    print(f"credit-cases complete_task ({url.split(':')[0]}, workflow cache {args.workflow_cache}): "
          f"{our_rate:8.1f} completions/s")
    print(f"ratio ours / bare        : {our_rate / bare_rate:8.2f}  (target ≥ 0.5)")


if __name__ == "__main__":
    main()
