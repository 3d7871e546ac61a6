"""The case's BPMN diagram with completed / current / waiting elements marked.

The one place a page reads the workflow itself (one case, read-only): the projection has
no notion of which gateways and events were passed.
"""
from __future__ import annotations

import re

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from workflows.core.models.cases import Case
from workflows.engine.case_engine import CaseEngine
from workflows.engine.diagram import DiagramUnavailable, element_states, render_svg
from workflows.people.access import ROLES

_LANE = re.compile(r'<bpmn:lane id="([^"]+)" name="([^"]+)"')


def lane_labels(source: str) -> dict[str, str]:
    """Lanes are named by role keys in the files; people read the Chinese role names."""
    return {lane_id: ROLES.get(name, name) for lane_id, name in _LANE.findall(source)}


def case_diagram_svg(engine: CaseEngine, session: Session, case: Case) -> str | None:
    """SVG markup, or None when the flow's file has no diagram information."""
    bundle = engine.specs.get(session, case.spec_set_id)
    source = bundle.bpmn_source(case.kind)
    if source is None:
        return None
    workflow = engine.serializer.loads(case.workflow_json, *bundle.process(case.kind))
    completed, current, waiting = set(), set(), set()
    for task in workflow.get_tasks():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        if task.state == TaskState.COMPLETED:
            completed.add(bpmn_id)
        elif task.state == TaskState.READY and task.task_spec.manual:
            current.add(bpmn_id)
        elif task.state in (TaskState.WAITING, TaskState.STARTED):
            (current if task.task_spec.manual else waiting).add(bpmn_id)
    try:
        return render_svg(source, case.kind, element_states(completed, current, waiting),
                          labels=lane_labels(source))
    except DiagramUnavailable:
        return None
