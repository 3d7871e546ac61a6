"""Daily reminders of open tasks due today or overdue, computed from the runtime's clock.

Run by every tick of the background work; a `task_reminder` row per (task, day, kind) makes it
idempotent: however often it runs, a task is recalled once a day. Who hears: the task's
assignee; for an unclaimed task of a department's lane, that department's officers (nobody
else picks those up). Unclaimed office tasks are the supervisors' business: their escalation
(`sla_breach`) already tells them.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.notifications import TaskReminder
from workflows.core.models.people import User
from workflows.core.store import Store
from workflows.engine.inbox import local_day_bounds
from workflows.people.notices import notify

log = logging.getLogger(__name__)


def remind_due_tasks(store: Store, now: datetime) -> int:
    """Write today's reminders not given yet; how many notifications were written."""
    today = to_local(now).date()
    _start, end = local_day_bounds(now)
    try:
        with store.write() as uow:
            written = _remind(uow.session, now, today, end)
            uow.commit()
    except IntegrityError:  # another sweeper gave today's reminders at the same moment
        log.info("task reminders of %s given by another worker", today)
        return 0
    return written


def _remind(session: Session, now: datetime, today, end: datetime) -> int:
    rows = session.execute(
        select(HumanTask.id, HumanTask.case_id, HumanTask.name, HumanTask.assignee, HumanTask.lane,
               HumanTask.department_code, HumanTask.due_at, HumanTask.overdue, Case.title)
        .join(Case, Case.id == HumanTask.case_id)
        .where(HumanTask.state == "ready", or_(HumanTask.overdue.is_(True), HumanTask.due_at < end))).all()
    given = set(session.execute(select(TaskReminder.task_id, TaskReminder.kind).where(
        TaskReminder.day == today, TaskReminder.task_id.in_([r.id for r in rows]))).all()) if rows else set()
    written = 0
    for row in rows:
        kind = "overdue" if row.overdue or (row.due_at is not None and row.due_at < now) else "due_today"
        if (row.id, kind) in given:
            continue
        session.add(TaskReminder(task_id=row.id, day=today, kind=kind, created_at=now))
        for username in _recipients(session, row):
            notify(session, f"task_{kind}", _message(row, kind), now, case_id=row.case_id, username=username)
            written += 1
    return written


def _recipients(session: Session, row) -> list[str]:
    if row.assignee:
        return [row.assignee]
    if row.lane == "department" and row.department_code:
        return list(session.scalars(select(User.username).where(
            User.department_code == row.department_code, User.active.is_(True)).order_by(User.username)))
    return []


def _message(row, kind: str) -> str:
    case = f"案件 #{row.case_id}" + (f"（{row.title}）" if row.title else "")
    due = to_local(row.due_at).strftime("%Y-%m-%d %H:%M") if row.due_at else ""
    if kind == "overdue":
        return f"{case}的任务“{row.name}”已超过办理时限（{due}），请尽快办理"
    return f"{case}的任务“{row.name}”今日到期（{due}），请及时办理"
