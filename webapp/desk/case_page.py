"""What the case page shows: request, records, attachments, tasks, letters, timeline, diagram.

Reads projections, the audit log and the records; only the diagram looks at the workflow.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.people.access import LANES, Actor, may_work_lane
from workflows.engine.case_diagram import case_diagram_svg
from workflows.engine.case_view import case_events, case_letters, case_tasks, readable_case, subject_document
from workflows.engine.case_engine import CaseEngine
from workflows.engine.models import HumanTask
from workflows.kinds.common.models import Attachment
from workflows.people.models import User
from workflows.records.models import CaseRecord, CreditRecord
from workflows.records import full_record_document

# templates/desk/forms/<case kind>_<bpmn id>.html
TASK_FORMS = ("repair_review", "objection_first_review", "objection_verify", "commitment_accept", "commitment_verify",
              "interview_conduct", "interview_follow_up")
CORRECTABLE_LABELS = (("decision_no", "Decision number"), ("decision_date", "Decision date"),
                      ("category", "Penalty category"), ("facts", "Facts"), ("basis", "Legal basis"),
                      ("content", "Penalty content"), ("fine_amount", "Fine (yuan)"))


def case_page_context(engine: CaseEngine, session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    case = readable_case(session, actor, case_id)
    events = case_events(session, case.id)
    tasks = case_tasks(session, case.id)
    open_tasks = [t for t in tasks if t.state == "ready"]
    return {
        "case": case, "subject": subject_document(session, actor, case.subject_code),
        "tasks": tasks, "letters": case_letters(session, case.id), "events": events,
        "filed": _latest(events, "case_started", "data"), "eligibility": _latest(events, "eligibility_checked"),
        "records": _records(session, case.id, actor), "attachments": _attachments(session, case.id),
        "workable": [t for t in open_tasks if _may_work(actor, t)],
        "assignees": _assignees(session, open_tasks) if actor.has("supervisor", "admin") else {},
        "diagram": case_diagram_svg(engine, session, case),
        "suspension": _latest(events, "suspended"), "corrections": (_latest(events, "corrections") or {}).get("items"),
        "task_data": TASK_FORMS, "correctable": CORRECTABLE_LABELS,
    }


def _latest(events: list, kind: str, key: str | None = None) -> dict[str, Any] | None:
    found = [e for e in events if e.kind == kind]
    if not found:
        return None
    after = found[-1].after or {}
    return after.get(key) if key else after


def _records(session: Session, case_id: int, actor: Actor) -> list[dict[str, Any]]:
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == case_id).order_by(CreditRecord.id))
    return [full_record_document(session, r, show_personal=actor.is_staff) for r in session.scalars(query)]


def _attachments(session: Session, case_id: int) -> list:
    """Metadata only: the bytes stay in the database until someone opens the file."""
    query = (select(Attachment.id, Attachment.filename, Attachment.content_type, Attachment.size,
                    Attachment.purpose, Attachment.uploaded_by, Attachment.uploaded_at)
             .where(Attachment.case_id == case_id).order_by(Attachment.uploaded_at))
    return list(session.execute(query))


def _may_work(actor: Actor, task: HumanTask) -> bool:
    return may_work_lane(actor, task.lane, department_code=task.department_code, subject_code=task.subject_code)


def _assignees(session: Session, tasks: list[HumanTask]) -> dict[str, list[str]]:
    """For each open task, the users a supervisor may hand it to."""
    users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)))
    result = {}
    for task in tasks:
        rule = LANES.get(task.lane or "")
        result[task.id] = [u.username for u in users if rule and u.role_set & rule.roles
                           and "admin" not in u.role_set]
    return result
