"""What the API answers about cases and tasks: a case document, a page of the task list.

Reads only, each in one session; the answer is plain data (dicts, detached rows), so the web
layer never holds a session or writes a query.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.models.cases import Case, HumanTask
from workflows.core.store import Store
from workflows.engine.case_engine import Describe
from workflows.engine.case_view import (
    CaseRows,
    case_document,
    may_read_case,
    readable_case,
    task_document,
)
from workflows.engine.inbox import InboxFilter, inbox
from workflows.people.access import Actor
from workflows.people.names import display_names

Cursor = tuple[datetime | None, str]


@dataclass(frozen=True)
class TaskPage:
    """Task documents (with their case's kind and title) and the last task, if more follow."""

    items: list[dict[str, Any]]
    last_of_page: HumanTask | None


def case_answer(store: Store, actor: Actor, case_id: int) -> dict[str, Any]:
    """The case with its tasks, letters and timeline, as the actor may see it (else NotFound)."""
    with store.read() as session:
        return case_document(session, actor, readable_case(session, actor, case_id))


def describe_with(actor: Actor, deliver: Callable[[dict[str, Any]], None]) -> Describe:
    """A `describe` for a filing or a case verb: hands `deliver` the case document read in the
    operation's own transaction (to encode it there), if the actor may read the case (someone
    filing for another subject gets nothing back)."""
    def describe(session: Session, case: Case, rows: CaseRows | None) -> None:
        if may_read_case(actor, case):
            deliver(case_document(session, actor, case, rows))
    return describe


def task_page(store: Store, actor: Actor, f: InboxFilter, now: datetime, limit: int,
              after: Cursor | None) -> TaskPage:
    """One page of the actor's visible open tasks, by due time (the `human_task` projection)."""
    with store.read() as session:
        rows = inbox(session, actor, f, now, limit=limit + 1, after=after)
        names = display_names(session, (task.assignee for task, _case in rows[:limit]))  # one small lookup
        items = [{**task_document(task, names), "case": {"kind": case.kind, "title": case.title}}
                 for task, case in rows[:limit]]
    return TaskPage(items, rows[limit - 1][0] if len(rows) > limit else None)
