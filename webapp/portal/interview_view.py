"""What an interview case's page shows the subject: the proposed key-attention listing, its open
statement step (陈述申辩) and what it said."""
from __future__ import annotations

from typing import Any

from workflows.kinds.common.applicant_views import MyCasePage, latest_event

from .common import local_time


def interview_panel(page: MyCasePage, defence_text: str = "") -> dict[str, Any]:
    """The proposal the subject was told of, its open statement step (if any) and what it said."""
    events = page.document["events"]
    proposal = latest_event(events, "key_attention_proposed")
    said = latest_event(events, "defence_filed") or latest_event(events, "defence_waived")
    task = next((t for t in page.mine.tasks if t.bpmn_id == "state_defence"), None)
    return {"proposal": proposal["after"] if proposal else None, "said": said, "task": task,
            "due": local_time(task.due_at) if task is not None and task.due_at else "",
            "version": page.mine.case.version, "text": defence_text}
