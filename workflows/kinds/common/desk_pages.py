"""What the reviewer desk shows: the inbox page and the case page, each read in one session.

Lists read the `human_task` projection and the audit log; only the case diagram looks at
the workflow. Rows come back detached (loaded columns only), ready for a template, with the
names of the people they show (`names`: username → display name, one lookup per page).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.comments import EVENT_KIND as COMMENT_EVENT
from workflows.comments import comments_of
from workflows.core.models.attachments import Attachment
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.people import SubjectBinding, User
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.core.store import Store
from workflows.engine.case_diagram import case_diagram_svg
from workflows.engine.case_engine import CaseEngine
from workflows.engine.case_view import (
    case_events,
    case_letters,
    case_people,
    case_tasks,
    readable_case,
    subject_document,
)
from workflows.engine.inbox import InboxFilter, inbox, inbox_counts
from workflows.engine.timeline import readable_summary, shown_actors
from workflows.kinds.common.timeline_words import words_for
from workflows.people.access import Actor
from workflows.people.bindings import bindings_of_subject
from workflows.people.names import display_names
from workflows.people.permissions import LANES, allows, may_work_lane
from workflows.records import full_record_document

Cursor = tuple[datetime | None, str]


@dataclass(frozen=True)
class InboxPage:
    rows: list[tuple[HumanTask, Case]]  # one more than a page when another page follows (read forward)
    counts: dict[str, int]
    reviewers: list[str]  # whom a supervisor may hand tasks to (empty for everyone else)
    names: dict[str, str]  # username → name, for the assignees and reviewers shown
    has_prev: bool = False  # read backward (`before`): whether still earlier tasks exist


def inbox_page(store: Store, actor: Actor, f: InboxFilter, now: datetime, limit: int,
               after: Cursor | None, before: Cursor | None = None) -> InboxPage:
    """The actor's open tasks by due time, the filter badges and, for supervisors, the reviewers.

    The assignees' names are a second small lookup for the page's usernames, not a join: the
    task list stays a read of the inbox index (bench/repair_scale.py)."""
    with store.read() as session:
        rows = inbox(session, actor, f, now, limit=limit + 1, after=after, before=before)
        has_prev = after is not None or (before is not None and len(rows) > limit)
        if before is not None:
            rows = rows[-limit:]
        reviewers = _reviewers(session) if allows(actor, "may_assign_tasks") else {}
        missing = {task.assignee for task, _case in rows} - reviewers.keys()
        names = {**reviewers, **display_names(session, missing)}
        return InboxPage(rows, inbox_counts(session, actor, now), list(reviewers), names, has_prev)


def inbox_export(store: Store, actor: Actor, f: InboxFilter, now: datetime,
                 limit: int) -> tuple[list[tuple[HumanTask, Case]], dict[str, str]]:
    """Every task of an inbox tab (up to `limit`) in its order, with the assignees' names."""
    with store.read() as session:
        rows = inbox(session, actor, f, now, limit=limit)
        return rows, display_names(session, {task.assignee for task, _case in rows})


def _reviewers(session: Session) -> dict[str, str]:
    """Active reviewers, username → name (display name, else username)."""
    query = select(User.username, User.display_name, User.roles).where(User.active.is_(True)).order_by(User.username)
    return {username: (display or "").strip() or username for username, display, roles in session.execute(query)
            if "reviewer" in roles.split(",")}


def desk_case_page(engine: CaseEngine, actor: Actor, case_id: int) -> dict[str, Any]:
    """Request, records, attachments, tasks (those the actor may work), letters, timeline, diagram."""
    with engine.store.read() as session:
        case = readable_case(session, actor, case_id)
        events, tasks, letters = case_events(session, case.id), case_tasks(session, case.id), case_letters(session, case.id)
        open_tasks = [t for t in tasks if t.state == "ready"]
        attachments = _attachments(session, case.id)
        assignees = _assignees(session, open_tasks, case) if allows(actor, "may_assign_tasks") else {}
        names = display_names(session, case_people(tasks, letters, events) | {a.uploaded_by for a in attachments}
                              | {username for users in assignees.values() for username in users})
        return {
            "case": case, "subject": subject_document(session, actor, case.subject_code),
            "tasks": tasks, "letters": letters, "events": events, "names": names,
            "timeline": _timeline(session, actor, case, events, names),
            "filed": latest_after(events, "case_started", "data"), "eligibility": latest_after(events, "eligibility_checked"),
            "records": _records(session, case.id, actor), "attachments": attachments,
            "workable": [t for t in open_tasks if _may_work(actor, t, case)],
            "assignees": assignees,
            "bound_accounts": bound_accounts(session, case.subject_code, engine.clock.now()),
            "diagram": case_diagram_svg(engine, session, case),
            "suspension": latest_after(events, "suspended"),
            "corrections": (latest_after(events, "corrections") or {}).get("items"),
            "deadlines": {kind: latest_after(events, kind) for kind in ("accepted", "forwarded", "result_overdue")},
        }


def timeline(case: Case, events: list, names: dict[str, str]) -> list[TimelineEntry]:
    """The case's history as staff read it: who acted (or 系统), decisions and outcomes in words."""
    words = words_for(case.kind)
    return [TimelineEntry(e.at, e.actor, shown, readable_summary(e, names, words))
            for e, shown in zip(events, shown_actors(events, names))]


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's timeline as a person reads it."""

    at: datetime
    actor: str
    actor_name: str
    summary: str
    comment: str | None = None  # the text of a staff's internal note


def _timeline(session: Session, actor: Actor, case: Case, events: list, names: dict[str, str]) -> list[TimelineEntry]:
    """`timeline`, with staff's internal notes in their words (left out for whoever may not read them)."""
    notes = {c.id: c.body for c in comments_of(session, case.id)} if allows(actor, "may_read_comments") else {}
    words = words_for(case.kind)
    entries = []
    for e, shown in zip(events, shown_actors(events, names)):
        if e.kind == COMMENT_EVENT:
            if notes:
                entries.append(TimelineEntry(e.at, e.actor, names.get(e.actor, e.actor), "内部备注",
                                             notes.get((e.after or {}).get("comment_id"), "")))
        else:
            entries.append(TimelineEntry(e.at, e.actor, shown, readable_summary(e, names, words)))
    return entries


def latest_after(events: list, kind: str, key: str | None = None) -> dict[str, Any] | None:
    """The `after` of the latest audit event of `kind` (or one key of it)."""
    found = [e for e in events if e.kind == kind]
    if not found:
        return None
    after = found[-1].after or {}
    return after.get(key) if key else after


def _records(session: Session, case_id: int, actor: Actor) -> list[dict[str, Any]]:
    query = (select(CreditRecord).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
             .where(CaseRecord.case_id == case_id).order_by(CreditRecord.id))
    return [full_record_document(session, r, show_personal=allows(actor, "may_see_personal_ids")) for r in session.scalars(query)]


def _attachments(session: Session, case_id: int) -> list:
    """Metadata only: the bytes stay in the database until someone opens the file."""
    query = (select(Attachment.id, Attachment.filename, Attachment.content_type, Attachment.size,
                    Attachment.purpose, Attachment.uploaded_by, Attachment.uploaded_at)
             .where(Attachment.case_id == case_id).order_by(Attachment.uploaded_at))
    return list(session.execute(query))


def _may_work(actor: Actor, task: HumanTask, case: Case) -> bool:
    return may_work_lane(actor, task.lane, department_code=task.department_code, subject_code=task.subject_code,
                         filed_by=case.created_by)


def _assignees(session: Session, tasks: list[HumanTask], case: Case) -> dict[str, list[str]]:
    """For each open task, the users a supervisor may hand it to (a filer's step: the filer only)."""
    users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)))
    result = {}
    for task in tasks:
        rule = LANES.get(task.lane or "")
        result[task.id] = [u.username for u in users if rule and u.role_set & rule.roles
                           and "admin" not in u.role_set
                           and (rule.scope != "filer" or u.username == case.created_by)]
    return result


def bound_accounts(session: Session, subject_code: str | None, now: datetime) -> list[tuple[SubjectBinding, User]]:
    """Who acts for the case's subject now (holders first): what a binding review weighs."""
    return bindings_of_subject(session, subject_code, now) if subject_code else []
