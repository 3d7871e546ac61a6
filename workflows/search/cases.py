"""The case search: one filtered, sorted, counted query; the page's open tasks in a second one."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.limits import search_text
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.people import Subject
from workflows.core.paging import MAX_PAGE_SIZE, Page, page_number, paginate
from workflows.core.store import Store
from workflows.engine.case_text import matching_case_ids
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require, unscoped

KINDS = ("repair", "objection", "commitment", "interview", "binding")
STATES = ("running", "completed", "cancelled")
SORTS = ("received", "due")
EXPORT_LIMIT = 50_000  # rows of one CSV export; a wider one asks for a narrower filter


@dataclass(frozen=True)
class CaseSearch:
    """What the search box and the filters ask; `as_query` gives it back as query-string fields."""

    q: str = ""
    kind: str = ""
    department: str = ""
    state: str = ""
    sort: str = "received"

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "CaseSearch":
        """Parsed and checked here, so the desk and the API refuse the same input the same way."""
        errors: dict[str, str] = {}
        q = search_text(args.get("q") or "", "q")
        wanted = cls(q=q, kind=_choice(args, "kind", KINDS, errors), state=_choice(args, "state", STATES, errors),
                     department=search_text(args.get("department") or "", "department")[:32].strip(),
                     sort=_choice(args, "sort", SORTS, errors) or "received")
        if errors:
            raise InvalidInput("搜索条件有误", errors)
        return wanted

    def as_query(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value and not (key == "sort" and value == "received")}


@dataclass(frozen=True)
class CaseRow:
    id: int
    kind: str
    status: str
    outcome: str | None
    title: str
    subject_code: str | None
    subject_name: str | None
    department_code: str | None
    received_at: datetime
    next_due: datetime | None
    tasks: list[HumanTask] = field(default_factory=list)


@dataclass(frozen=True)
class CaseSearchPage:
    page: Page[CaseRow]
    names: dict[str, str]  # assignees of the tasks shown


def _choice(args: Mapping[str, Any], name: str, allowed: tuple[str, ...], errors: dict[str, str]) -> str:
    value = args.get(name) or ""
    if value and value not in allowed:
        errors[name] = "不是可选的值"
        return ""
    return value


def _visible(actor: Actor) -> ColumnElement[bool] | None:
    """None: every case; else the department officer's own department's cases."""
    if unscoped(actor, "may_read_case"):
        return None
    return Case.department_code == actor.department_code if actor.department_code else Case.id.is_(None)


def _query(actor: Actor, wanted: CaseSearch) -> Select:
    """Matching cases in the chosen order; the next due time is read per row (from the task
    projection's case index), except when all cases are sorted by it: then one grouped pass."""
    conditions = [c for c in (_visible(actor),) if c is not None]
    if wanted.q:
        conditions.append(Case.id.in_(matching_case_ids(wanted.q)))
    for column, value in ((Case.kind, wanted.kind), (Case.status, wanted.state),
                          (Case.department_code, wanted.department)):
        if value:
            conditions.append(column == value)
    columns = (Case.id, Case.kind, Case.status, Case.outcome, Case.title, Case.subject_code, Case.department_code,
               Case.received_at)
    if wanted.sort == "due" and not wanted.q:  # many rows: one pass over the open tasks, joined
        due = (select(HumanTask.case_id, func.min(HumanTask.due_at).label("next_due"))
               .where(HumanTask.state == "ready").group_by(HumanTask.case_id).subquery())
        query = select(*columns, due.c.next_due).outerjoin(due, due.c.case_id == Case.id).where(*conditions)
        return query.order_by(due.c.next_due.asc().nulls_last(), Case.id.desc())
    next_due = (select(func.min(case((HumanTask.state == "ready", HumanTask.due_at))))
                .where(HumanTask.case_id == Case.id).correlate(Case).scalar_subquery())
    query = select(*columns, next_due).where(*conditions)
    if wanted.sort == "due":  # a text search matches few cases: their due times read one by one
        return query.order_by(next_due.asc().nulls_last(), Case.id.desc())
    return query.order_by(Case.received_at.desc(), Case.id.desc())


def search_cases(store: Store, actor: Actor, wanted: CaseSearch, number: Any = 1, size: int = 50) -> CaseSearchPage:
    """One page of matching cases with their open tasks, and how many match in all."""
    require(actor, "may_use_desk", "只有工作人员可以检索案件")
    number, size = page_number(number), max(1, min(size, MAX_PAGE_SIZE))
    with store.read() as session:
        page = paginate(session, _query(actor, wanted), number, size)
        ids = [row.id for row in page.items]
        tasks, subjects = _open_tasks(session, ids), _subject_names(session, {row.subject_code for row in page.items})
        rows = [_row(row, subjects, tasks.get(row.id, [])) for row in page.items]
        names = display_names(session, {t.assignee for ts in tasks.values() for t in ts})
        return CaseSearchPage(Page(rows, page.total, page.number, page.size), names)


def export_cases(store: Store, actor: Actor, wanted: CaseSearch) -> list[CaseRow]:
    """Every matching case (up to EXPORT_LIMIT), in the list's order, read in one statement
    (PostgreSQL reads run without a transaction: no server-side cursor); the CSV streams it."""
    require(actor, "may_use_desk", "只有工作人员可以导出案件")
    with store.read() as session:
        rows = session.execute(_query(actor, wanted).limit(EXPORT_LIMIT)).all()
        subjects = _subject_names(session, {row.subject_code for row in rows})
    return [_row(row, subjects, []) for row in rows]


def _row(row: Any, subjects: dict[str, str], tasks: list[HumanTask]) -> CaseRow:
    (case_id, kind, status, outcome, title, subject_code, department_code, received_at, next_due) = row
    return CaseRow(case_id, kind, status, outcome, title, subject_code, subjects.get(subject_code or ""),
                   department_code, received_at, next_due, tasks)


def _subject_names(session: Session, codes: set[str | None]) -> dict[str, str]:
    wanted = sorted(code for code in codes if code)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        query = select(Subject.code, Subject.name).where(Subject.code.in_(wanted[start:start + 1000]))
        found.update({code: name for code, name in session.execute(query)})
    return found


def _open_tasks(session: Session, case_ids: list[int]) -> dict[int, list[HumanTask]]:
    if not case_ids:
        return {}
    query = (select(HumanTask).where(HumanTask.case_id.in_(case_ids), HumanTask.state == "ready")
             .order_by(HumanTask.due_at.asc().nulls_last(), HumanTask.id))
    found: dict[int, list[HumanTask]] = {}
    for task in session.scalars(query):
        found.setdefault(task.case_id, []).append(task)
    return found
