"""What a party may read about a case: the JSON of `GET /api/v1/cases/{id}` and the case page.

Built from the case row and its projections only; personal ID numbers are masked for
anyone who is not staff. People appear by username under the API's keys (`actor`,
`assignee`, …) and by name beside them (`actor_name`, …), resolved in one query per document.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from workflows.core.clock import to_local
from workflows.core.errors import NotFound
from workflows.core.identifiers import mask_subject_code
from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.core.models.letters import Letter
from workflows.core.models.people import Subject
from workflows.engine.timeline import event_usernames, readable_summary
from workflows.people.access import Actor
from workflows.people.names import display_names, name_of
from workflows.people.permissions import FILER_KINDS, allows, may_follow_filed, unscoped


def may_read_case(actor: Actor, case: Case) -> bool:
    """Staff by their scope; applicants the cases of the subject they act for — except where
    the filer is the party (a binding request): then the filer alone, not the subject's accounts."""
    if case.kind in FILER_KINDS:
        return unscoped(actor, "may_read_case") or may_follow_filed(actor, case.kind, case.created_by)
    return allows(actor, "may_read_case", subject_code=case.subject_code, department_code=case.department_code)


def readable_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case, or NotFound — also when it exists but is not the actor's (no existence leak)."""
    case = session.get(Case, case_id)
    if case is None or not may_read_case(actor, case):
        raise NotFound("案件不存在")
    return case


@dataclass
class CaseRows:
    """A case's tasks, letters and events, when the caller already holds all of them
    (a case just started: every row it has was written by that step)."""

    tasks: list[HumanTask]
    letters: list[Letter]
    events: list[CaseEvent]


# Events of staff's internal notes (workflows/comments): left out for whoever may not read them.
STAFF_ONLY_EVENTS = frozenset({"comment_added"})


def case_document(session: Session, actor: Actor, case: Case, rows: CaseRows | None = None) -> dict[str, Any]:
    if rows is None:
        rows = CaseRows(case_tasks(session, case.id), case_letters(session, case.id), case_events(session, case.id))
    if not allows(actor, "may_read_comments"):
        rows = CaseRows(rows.tasks, rows.letters, [e for e in rows.events if e.kind not in STAFF_ONLY_EVENTS])
    names = display_names(session, case_people(rows.tasks, rows.letters, rows.events))
    return {
        "id": case.id, "kind": case.kind, "status": case.status, "outcome": case.outcome,
        "title": case.title, "subject": subject_document(session, actor, case.subject_code),
        "department_code": case.department_code, "received_at": iso(case.received_at),
        "closed_at": iso(case.closed_at), "version": case.version, "records": [],
        "tasks": [task_document(t, names) for t in sorted(rows.tasks, key=lambda t: (t.created_at, t.id))],
        "letters": [letter_document(l, names) for l in sorted(rows.letters, key=lambda l: l.id)],
        "events": [event_document(e, names) for e in sorted(rows.events, key=lambda e: e.id)],
    }


def case_people(tasks: list[HumanTask], letters: list[Letter], events: list[CaseEvent]) -> set[str]:
    """Every username a case's tasks, letters and timeline show."""
    return ({t.assignee for t in tasks} | {t.completed_by for t in tasks} | {l.issued_by for l in letters}
            | event_usernames(events)) - {None, ""}


def subject_document(session: Session, actor: Actor, code: str | None) -> dict[str, Any] | None:
    if code is None:
        return None
    subject = session.get(Subject, code)
    shown = code if allows(actor, "may_see_personal_ids") else mask_subject_code(code)
    return {"code": shown, "name": subject.name if subject else None,
            "category": subject.category if subject else None}


def readable_letter(session: Session, actor: Actor, letter_id: int) -> Letter:
    """A letter the actor may download: staff who may read its case, or its own subject."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound("文书不存在")
    case = session.get(Case, letter.case_id) if letter.case_id else None
    own = actor.subject_code is not None and actor.subject_code == letter.subject_code
    if own or (case is not None and may_read_case(actor, case)) or (case is None and unscoped(actor, "may_read_case")):
        return letter
    raise NotFound("文书不存在")


def case_letters(session: Session, case_id: int) -> list[Letter]:
    query = select(Letter).where(Letter.case_id == case_id).order_by(Letter.id).options(defer(Letter.pdf))
    return list(session.scalars(query))


def letter_document(letter: Letter, names: dict[str, str] | None = None) -> dict[str, Any]:
    """`names` (a `display_names` answer) adds `issued_by_name`. A `pending` letter (numbered,
    its PDF not rendered yet) has no `sha256` nor `size`; its `url` answers 202 until it is
    `issued`. `state` says the same as `status` (API.md's name for it). `signed_by`/`signed_at`:
    the subject of the organ's certificate and the signing time (None: unsigned, or pending)."""
    document = {"id": letter.id, "type": letter.letter_type, "title": letter.title, "number": letter.number,
                "status": letter.status, "state": letter.status,
                "sha256": letter.sha256, "size": letter.size, "case_id": letter.case_id,
                "issued_at": iso(letter.issued_at), "issued_by": letter.issued_by,
                "supersedes_id": letter.supersedes_id, "url": f"/api/v1/letters/{letter.id}.pdf",
                "signed_by": letter.signed_by, "signed_at": iso(letter.signed_at)}
    if names is not None:
        document["issued_by_name"] = name_of(names, letter.issued_by)
    return document


def case_tasks(session: Session, case_id: int) -> list[HumanTask]:
    query = select(HumanTask).where(HumanTask.case_id == case_id).order_by(HumanTask.created_at, HumanTask.id)
    return list(session.scalars(query))


def case_events(session: Session, case_id: int) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def task_document(task: HumanTask, names: dict[str, str] | None = None) -> dict[str, Any]:
    """`names` adds `assignee_name` and `completed_by_name` (None when nobody)."""
    document = {"id": task.id, "case_id": task.case_id, "bpmn_id": task.bpmn_id, "name": task.name,
                "lane": task.lane, "assignee": task.assignee, "due_at": iso(task.due_at),
                "overdue": task.overdue, "state": task.state, "completed_at": iso(task.completed_at),
                "completed_by": task.completed_by}
    if names is not None:
        document["assignee_name"] = name_of(names, task.assignee) or None
        document["completed_by_name"] = name_of(names, task.completed_by) or None
    return document


def event_document(event: CaseEvent, names: dict[str, str] | None = None) -> dict[str, Any]:
    """`names` adds `actor_name` and puts names into the summary where it mentions people."""
    document = {"id": event.id, "at": iso(event.at), "actor": event.actor, "kind": event.kind,
                "summary": event.summary, "bpmn_id": event.bpmn_id, "task_id": event.task_id,
                "before": event.before, "after": event.after}
    if names is not None:
        document.update(actor_name=name_of(names, event.actor), summary=readable_summary(event, names))
    return document


def iso(moment) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment is not None else None
