"""What the engine does around a step's own work: follow-ups retried on a fresh connection, the
timers a workflow waits on, its final data, and the domain error under SpiffWorkflow's wrappers."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow

from workflows.core.db import connection_lost
from workflows.core.errors import ActionFailed, CaseError
from workflows.engine.projections import is_timer_event

log = logging.getLogger("workflows.engine.case_engine")


def on_a_live_connection(deliver: Callable[[], Any], what: str) -> bool:
    """A follow-up of a committed step, tried once more if its connection died: the step is
    saved, so its caller must not hear 503 (and retry it) because a follow-up failed. Whether
    it was delivered (if not, its row waits for the next sweep)."""
    for attempt in (1, 2):
        try:
            deliver()
            return True
        except CaseError:
            raise
        except Exception as err:
            if not connection_lost(err):
                raise
            if attempt == 2:
                log.error("%s lost with the database connection twice; left for the next sweep", what)
                return False
            log.warning("%s: database connection lost, trying once more", what)
    return False


def pending_timers(workflow: BpmnWorkflow) -> set[tuple[str, str]]:
    return {(e.name, str(e.value)) for e in workflow.waiting_events() if is_timer_event(e.event_type)}


def final_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    data = dict(workflow.data)
    if workflow.last_task is not None:
        data = {**workflow.last_task.data, **data}
    return data


def unwrap(err: BaseException) -> CaseError:
    """Find the domain error an action raised under SpiffWorkflow's wrappers."""
    seen: BaseException | None = err
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        if isinstance(seen, CaseError):
            return seen
        visited.add(id(seen))
        seen = getattr(seen, "exception", None) or seen.__cause__ or seen.__context__
    return ActionFailed(f"流程执行出错：{err}")
