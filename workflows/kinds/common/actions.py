"""Actions every case kind may use: SLA escalation of an overdue task."""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from workflows.engine.registry import action
from workflows.engine.step import StepContext


@action("escalate_overdue")
def escalate_overdue(ctx: StepContext, task: str, notify_role: str = "supervisor") -> dict:
    """A review deadline passed: flag the open task overdue, tell the supervisors, audit it.

    The task stays open (non-interrupting boundary timer); only its projection changes.
    """
    flagged = []
    for open_task in ctx.workflow.get_tasks(state=TaskState.READY, spec_name=task):
        open_task.internal_data["overdue"] = True
        flagged.append(str(open_task.id))
    due = ctx.task.parent.internal_data.get("event_value") if ctx.task.parent else None
    ctx.record("sla_breach", f"任务“{task}”已超过办理时限", bpmn_id=task,
               after={"tasks": flagged, "due_at": due})
    ctx.notify("sla_breach", f"案件 {ctx.case.id} 的任务已超期，请督办", role=notify_role)
    return {"flagged": flagged}

