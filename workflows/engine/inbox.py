"""Read side: inbox queries over the `human_task` projection (never the workflow JSON)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import Select, and_, func, literal, or_, select, union
from sqlalchemy.orm import Session, load_only

from workflows.core.clock import LOCAL_TZ
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.worklists import Delegation
from workflows.engine.case_text import matching_case_ids
from workflows.people.access import Actor
from workflows.people.delegation import running
from workflows.people.permissions import LANES, unscoped, visible_lanes

FILTERS = ("mine", "group", "unclaimed", "due_today", "overdue")


@dataclass(frozen=True)
class InboxFilter:
    assignee_me: bool = False
    unclaimed: bool = False
    due_today: bool = False
    overdue: bool = False
    lane: str | None = None
    case_id: int | None = None
    text: str = ""  # case number, subject name or code, record number (engine/case_text.py)


def visible_tasks(actor: Actor) -> Select:
    """Open tasks this actor may see: by lane role, scoped by department or subject."""
    lanes = visible_lanes(actor)
    query = select(HumanTask).where(HumanTask.state == "ready", HumanTask.lane.in_(lanes))
    if unscoped(actor, "may_work_every_lane"):
        return query
    scoped = []
    for lane in lanes:
        rule = LANES[lane]
        if rule.scope == "department" and not unscoped(actor, "may_work_any_department"):
            scoped.append(and_(HumanTask.lane == lane, HumanTask.department_code == actor.department_code))
        elif rule.scope == "subject":
            scoped.append(and_(HumanTask.lane == lane, HumanTask.subject_code == actor.subject_code))
        elif rule.scope == "filer":
            filed = select(Case.id).where(Case.created_by == actor.username, Case.status == "running")
            scoped.append(and_(HumanTask.lane == lane, HumanTask.case_id.in_(filed)))
        else:
            scoped.append(HumanTask.lane == lane)
    return query.where(or_(*scoped)) if scoped else query.where(False)


def apply_filter(query: Select, actor: Actor, f: InboxFilter, now: datetime) -> Select:
    if f.assignee_me:  # and the tasks of whoever the actor stands in for (out-of-office delegation)
        query = query.where(HumanTask.assignee.in_(_mine(actor, now)))
    if f.unclaimed:
        query = query.where(HumanTask.assignee.is_(None))
    if f.lane:
        query = query.where(HumanTask.lane == f.lane)
    if f.case_id is not None:
        query = query.where(HumanTask.case_id == f.case_id)
    if f.text:
        query = query.where(HumanTask.case_id.in_(matching_case_ids(f.text)))
    if f.overdue:
        query = query.where(or_(HumanTask.overdue.is_(True), HumanTask.due_at < now))
    if f.due_today:
        start, end = local_day_bounds(now)
        query = query.where(HumanTask.due_at >= start, HumanTask.due_at < end)
    return query


def _mine(actor: Actor, now: datetime):
    """The actor's username and those of the colleagues it stands in for now."""
    today = now.astimezone(LOCAL_TZ).date()
    stood_in = select(Delegation.username).where(Delegation.substitute == actor.username, running(today))
    return union(select(literal(actor.username)), stood_in)


def local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """[00:00, 24:00) of today in Asia/Shanghai, as aware datetimes."""
    today = now.astimezone(LOCAL_TZ).date()
    start = datetime.combine(today, time.min, LOCAL_TZ)
    return start, start + timedelta(days=1)


def inbox(session: Session, actor: Actor, f: InboxFilter, now: datetime, *,
          limit: int = 50, after: tuple[datetime | None, str] | None = None,
          before: tuple[datetime | None, str] | None = None) -> list[tuple[HumanTask, Case]]:
    """Open tasks sorted by due time (no due time last), keyset-paginated by (due_at, id):
    the `limit` tasks after `after`, or the `limit` tasks just before `before` (a previous page).

    Ordered by the plain columns so the inbox index is read in order (no sort of every open
    task), and only the case columns a list shows are loaded (bench/repair_scale.py).
    """
    query = apply_filter(visible_tasks(actor), actor, f, now)
    query = query.join(Case, Case.id == HumanTask.case_id).add_columns(Case).options(
        load_only(Case.id, Case.kind, Case.title, Case.subject_code))
    if before is not None:
        due, task_id = before
        query = query.where(or_(HumanTask.due_at.is_not(None), HumanTask.id < task_id) if due is None else
                            or_(HumanTask.due_at < due, and_(HumanTask.due_at == due, HumanTask.id < task_id)))
        rows = session.execute(query.order_by(HumanTask.due_at.desc().nulls_first(), HumanTask.id.desc())
                               .limit(limit)).all()
        return [(task, case) for task, case in reversed(rows)]
    if after is not None:
        due, task_id = after
        query = query.where(and_(HumanTask.due_at.is_(None), HumanTask.id > task_id) if due is None else
                            or_(HumanTask.due_at > due, and_(HumanTask.due_at == due, HumanTask.id > task_id),
                                HumanTask.due_at.is_(None)))
    rows = session.execute(query.order_by(HumanTask.due_at.asc().nulls_last(), HumanTask.id).limit(limit)).all()
    return [(task, case) for task, case in rows]


def inbox_counts(session: Session, actor: Actor, now: datetime) -> dict[str, int]:
    """How many tasks each desk filter would show (the badges), in one pass over the index."""
    start, end = local_day_bounds(now)
    query = visible_tasks(actor).with_only_columns(
        func.count().filter(HumanTask.assignee.in_(_mine(actor, now))), func.count(),
        func.count().filter(HumanTask.assignee.is_(None)),
        func.count().filter(HumanTask.due_at >= start, HumanTask.due_at < end),
        func.count().filter(or_(HumanTask.overdue.is_(True), HumanTask.due_at < now)))
    mine, group, unclaimed, due_today, overdue = session.execute(query.order_by(None)).one()
    return {"mine": mine, "group": group, "unclaimed": unclaimed, "due_today": due_today, "overdue": overdue}

