"""Rebuild the query-side view of one case from its workflow after every advance.

Inboxes read `human_task`; the timer sweep reads `case_instance.next_timer_at`. Both are
derived here from the workflow, never edited by hand (DESIGN.md principle 4).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import as_utc
from workflows.core.models.cases import Case, HumanTask


@dataclass(frozen=True)
class OpenTask:
    id: str
    bpmn_id: str
    name: str
    lane: str | None
    assignee: str | None
    due_at: datetime | None
    overdue: bool


def open_user_tasks(workflow: BpmnWorkflow) -> dict[str, OpenTask]:
    """Every READY user/manual task, in subprocesses too, keyed by its guid.

    Call before serializing: it records each task's due time in the task itself.
    """
    return {str(t.id): _open_task(t) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}


def _open_task(task: Task) -> OpenTask:
    spec = task.task_spec
    return OpenTask(
        id=str(task.id), bpmn_id=spec.bpmn_id or spec.name, name=spec.bpmn_name or spec.name,
        lane=spec.lane, assignee=task.internal_data.get("assignee"),
        due_at=_remembered_due(task), overdue=bool(task.internal_data.get("overdue")))


def _remembered_due(task: Task) -> datetime | None:
    """The task keeps its due time after the escalation timer fired (it is then overdue)."""
    due = attached_timer_due(task)
    if due is not None:
        task.internal_data["due_at"] = due.isoformat()
        return due
    return _parse(task.internal_data.get("due_at"))


def attached_timer_due(task: Task) -> datetime | None:
    """The earliest pending timer on a boundary event attached to `task`: its due time."""
    parent = task.parent
    if parent is None:
        return None
    dues = [
        _parse(sibling.internal_data.get("event_value"))
        for sibling in parent.children
        if sibling is not task and sibling.state == TaskState.WAITING
        and isinstance(getattr(sibling.task_spec, "event_definition", None), TimerEventDefinition)
    ]
    dues = [d for d in dues if d is not None]
    return min(dues) if dues else None


def next_timer_at(workflow: BpmnWorkflow) -> datetime | None:
    """When the sweep should next look at this case (earliest pending timer)."""
    values = [_parse(e.value) for e in workflow.waiting_events() if is_timer_event(e.event_type)]
    values = [v for v in values if v is not None]
    return min(values) if values else None


TIMER_EVENT_TYPES = frozenset({
    "TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition"})


def is_timer_event(event_type: str) -> bool:
    return event_type in TIMER_EVENT_TYPES


def _parse(value) -> datetime | None:
    if isinstance(value, dict):  # cycle timers keep {"next": ...}
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def sync_human_tasks(session: Session, case: Case, current: dict[str, OpenTask],
                     now: datetime, actor: str, finished: dict[str, str], *,
                     new_case: bool = False) -> dict[str, list[HumanTask]]:
    """Upsert open tasks; close rows that left the READY set.

    `finished` maps guids completed in this step to the actor who completed them; any other
    task that disappeared was cancelled (an interrupting event, a withdrawal).
    Returns the rows created / closed, for the audit log.
    """
    rows = {} if new_case else {r.id: r for r in session.scalars(
        select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "ready"))}
    created, closed = [], []
    for guid, view in current.items():
        row = rows.pop(guid, None)
        if row is None:
            row = HumanTask(id=guid, case_id=case.id, state="ready", created_at=now, case_kind=case.kind,
                            case_received_at=case.received_at)
            session.add(row)
            created.append(row)
        _fill(row, view, case)
    for guid, row in rows.items():
        row.state = "completed" if guid in finished else "cancelled"
        row.completed_at = now
        row.completed_by = finished.get(guid, actor)
        closed.append(row)
    return {"created": created, "closed": closed}


def _fill(row: HumanTask, view: OpenTask, case: Case) -> None:
    row.bpmn_id, row.name, row.lane = view.bpmn_id, view.name, view.lane
    row.assignee, row.due_at, row.overdue = view.assignee, view.due_at, view.overdue
    row.department_code, row.subject_code = case.department_code, case.subject_code
