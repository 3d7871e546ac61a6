"""The case search: one filtered, sorted, counted query; the page's open tasks in a second one."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from workflows.core.errors import InvalidInput
from workflows.core.limits import search_text
from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.people import Subject
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.core.paging import MAX_PAGE_SIZE, Page, page_number, paginate
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require, unscoped

KINDS = ("repair", "objection", "commitment", "interview", "binding")
STATES = ("running", "completed", "cancelled")
SORTS = ("received", "due")
EXPORT_LIMIT = 50_000  # rows of one CSV export; a wider one asks for a narrower filter
_CASE_NUMBER = re.compile(r"#?(\d{1,18})")
_CODE = re.compile(r"[0-9A-Z]{15,18}")


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


def matching_case_ids(text: str) -> ColumnElement[bool]:
    """Cases whose number, subject code, subject name or a record's decision number matches.

    Each branch reads its own index: the case's key, `ix_case_instance_subject_code`, the
    subject name (a scan of the subject table, far smaller than the cases), the record's
    decision number through `case_record`'s record index.
    """
    like = f"%{_escape_like(text)}%"
    found: list[ColumnElement[bool]] = []
    number = _CASE_NUMBER.fullmatch(text)
    if number and int(number.group(1)) < 2 ** 63:
        found.append(Case.id == int(number.group(1)))
    if _CODE.fullmatch(text.upper()):
        found.append(Case.subject_code == text.upper())
    found.append(Case.subject_code.in_(select(Subject.code).where(Subject.name.like(like, escape="\\"))))
    found.append(Case.id.in_(select(CaseRecord.case_id).join(CreditRecord, CreditRecord.id == CaseRecord.record_id)
                             .where(CreditRecord.decision_no.like(like, escape="\\"))))
    return or_(*found)


def _visible(actor: Actor) -> ColumnElement[bool] | None:
    """None: every case; else the department officer's own department's cases."""
    if unscoped(actor, "may_read_case"):
        return None
    return Case.department_code == actor.department_code if actor.department_code else Case.id.is_(None)


def _query(actor: Actor, wanted: CaseSearch) -> Select:
    next_due = (select(func.min(HumanTask.due_at)).where(HumanTask.case_id == Case.id, HumanTask.state == "ready")
                .correlate(Case).scalar_subquery().label("next_due"))
    query = (select(Case.id, Case.kind, Case.status, Case.outcome, Case.title, Case.subject_code, Subject.name,
                    Case.department_code, Case.received_at, next_due)
             .outerjoin(Subject, Subject.code == Case.subject_code))
    conditions = [c for c in (_visible(actor),) if c is not None]
    if wanted.q:
        conditions.append(matching_case_ids(wanted.q))
    for column, value in ((Case.kind, wanted.kind), (Case.status, wanted.state),
                          (Case.department_code, wanted.department)):
        if value:
            conditions.append(column == value)
    query = query.where(and_(*conditions)) if conditions else query
    if wanted.sort == "due":
        return query.order_by(next_due.asc().nulls_last(), Case.id.desc())
    return query.order_by(Case.received_at.desc(), Case.id.desc())


def search_cases(store: Store, actor: Actor, wanted: CaseSearch, number: Any = 1, size: int = 50) -> CaseSearchPage:
    """One page of matching cases with their open tasks, and how many match in all."""
    require(actor, "may_use_desk", "只有工作人员可以检索案件")
    number, size = page_number(number), max(1, min(size, MAX_PAGE_SIZE))
    with store.read() as session:
        page = paginate(session, _query(actor, wanted), number, size)
        tasks = _open_tasks(session, [row.id for row in page.items])
        rows = [CaseRow(*row, tasks=tasks.get(row.id, [])) for row in page.items]
        names = display_names(session, {t.assignee for ts in tasks.values() for t in ts})
        return CaseSearchPage(Page(rows, page.total, page.number, page.size), names)


def export_cases(store: Store, actor: Actor, wanted: CaseSearch) -> list[CaseRow]:
    """Every matching case (up to EXPORT_LIMIT), in the list's order, read in one statement
    (PostgreSQL reads run without a transaction: no server-side cursor); the CSV streams it."""
    require(actor, "may_use_desk", "只有工作人员可以导出案件")
    with store.read() as session:
        rows = session.execute(_query(actor, wanted).limit(EXPORT_LIMIT)).all()
    return [CaseRow(*row) for row in rows]


def _open_tasks(session: Session, case_ids: list[int]) -> dict[int, list[HumanTask]]:
    if not case_ids:
        return {}
    query = (select(HumanTask).where(HumanTask.case_id.in_(case_ids), HumanTask.state == "ready")
             .order_by(HumanTask.due_at.asc().nulls_last(), HumanTask.id))
    found: dict[int, list[HumanTask]] = {}
    for task in session.scalars(query):
        found.setdefault(task.case_id, []).append(task)
    return found


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
