"""The commitment register (信用承诺台账): staff lists, the dashboard, the public listing, API documents.

Read-only: the commitment flow and the import write the rows. Counts are GROUP BY queries,
so the dashboard costs the same after years of commitments. Whatever the public can reach
shows only 可向社会公开 commitments, with natural persons' ID numbers masked (DOMAIN.md §E).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.errors import Forbidden, NotFound
from workflows.core.identifiers import mask_subject_code
from workflows.core.limits import search_text
from workflows.core.paging import newest_first
from workflows.core.models.commitments import Commitment
from workflows.core.store import Store
from workflows.kinds.commitment.templates import TYPES
from workflows.people.access import Actor
from workflows.people.permissions import allows, require

# The national data standard (DOMAIN.md §A): item -> its name in exchange files, and the values.
DATA_ITEMS = {
    "code": "承诺编码", "subject_name": "承诺人名称", "subject_category": "承诺人类别",
    "subject_code": "统一社会信用代码或身份证号码", "commitment_type": "承诺类型", "matter": "承诺事由",
    "content": "承诺内容", "liability": "违诺责任", "made_on": "作出日期", "valid_until": "有效期",
    "disclosure": "公开类型", "department_name": "受理单位", "department_code": "受理单位代码",
    "fulfilment": "履行状态", "unfulfilled": "未履行内容", "liability_action": "违诺责任追究内容",
    "verified_on": "认定日期", "verified_by": "认定单位",
}
CATEGORIES = ("法人及非法人组织", "自然人", "个体工商户")
DISCLOSURE_NAMES = {"public": "可向社会公开", "restricted": "特定范围内公开", "private": "不可公开"}
FULFILMENT_NAMES = {"full": "全部履行", "partial": "部分履行", "none": "全部未履行", "false": "虚假承诺"}
STATUSES = ("filed", "confirmed", "accepted", "breach_pending", "rejected", "fulfilled", "breached", "cleared",
            "withdrawn")
FULFILMENTS = tuple(FULFILMENT_NAMES)
DISCLOSURES = tuple(DISCLOSURE_NAMES)
# accepted by the department: shown to the public; a breach only once decided (DOMAIN.md §I)
PUBLISHED = ("accepted", "breach_pending", "fulfilled", "breached", "cleared")
UNDECIDED = {"breach_pending": "accepted", "cleared": "accepted"}  # what the public sees of these
OVERDUE_SHOWN = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class RegisterFilter:
    type: str | None = None
    department_code: str | None = None
    status: str | None = None
    fulfilment: str | None = None
    query: str = ""  # subject name (part), subject code or 承诺编码
    overdue_only: bool = False
    limit: int = 50
    cursor: int | None = None  # the last id of the previous page (newest first)
    newer: int | None = None  # the first id of the next page, to page back


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: int | None
    total: int | None = None  # the register counts its rows; the public listing does not
    prev_cursor: int | None = None


def filter_from_query(args: Mapping[str, str], limit: int, cursor: int | None = None,
                      newer: int | None = None) -> RegisterFilter:
    """The register's query string (page and API alike); empty values mean "any"."""
    return RegisterFilter(type=args.get("type") or None, department_code=args.get("department") or None,
                          status=args.get("status") or None, fulfilment=args.get("fulfilment") or None,
                          query=args.get("q") or "", overdue_only=args.get("overdue") in ("1", "true", "on"),
                          limit=limit, cursor=cursor, newer=newer)


def local_today(now: datetime) -> date:
    return to_local(now).date()


# -- who sees what ---------------------------------------------------------------------------

def department_scope(actor: Actor) -> str | None:
    """The department a department officer is confined to; None: the whole register."""
    if allows(actor, "may_read_all_commitments"):
        return None
    if not actor.department_code:
        raise Forbidden("账号未设置所属部门，无法查看承诺台账")
    return actor.department_code


def scoped(actor: Actor, wanted: RegisterFilter) -> RegisterFilter:
    """An officer's filter narrowed to their own department, whatever they asked for."""
    department = department_scope(actor)
    return wanted if department is None else replace(wanted, department_code=department)


def readable_commitment(session: Session, actor: Actor, code: str) -> Commitment:
    """The commitment, or NotFound — also when it exists but lies outside the caller's scope."""
    row = session.scalars(select(Commitment).where(Commitment.code == code.strip())).first()
    if row is None or not _may_read(actor, row):
        raise NotFound("信用承诺不存在")
    return row


def _may_read(actor: Actor, row: Commitment) -> bool:
    if actor.subject_code is not None and actor.subject_code == row.subject_code:
        return True
    if not allows(actor, "may_read_commitments"):
        return False
    department = department_scope(actor)
    return department is None or department == row.department_code


# -- lists -----------------------------------------------------------------------------------

def list_commitments(session: Session, wanted: RegisterFilter, now: datetime, cap: int = MAX_LIMIT) -> Page:
    """Newest first, one page of `wanted.limit` rows; page on with `next_cursor`."""
    conditions = [column == value for column, value in (
        (Commitment.commitment_type, wanted.type), (Commitment.department_code, wanted.department_code),
        (Commitment.status, wanted.status), (Commitment.fulfilment, wanted.fulfilment)) if value]
    if normal_query(wanted.query):
        conditions.append(_matches(normal_query(wanted.query)))
    if wanted.overdue_only:
        conditions.append(_overdue(local_today(now)))
    found = newest_first(session, select(Commitment).where(*conditions), Commitment.id,
                         max(1, min(wanted.limit, cap)), wanted.cursor, wanted.newer)
    return Page(found.items, found.older, found.total, found.newer)


def export_commitments(store: Store, actor: Actor, wanted: RegisterFilter, now: datetime, limit: int) -> list[Commitment]:
    """Every commitment of the register's filter in the caller's scope (up to `limit`), newest first."""
    require(actor, "may_read_commitments")
    wanted = scoped(actor, wanted)
    with store.read() as session:
        everything = replace(wanted, limit=limit, cursor=None, newer=None)
        return list(list_commitments(session, everything, now, cap=limit).items)


def public_commitments(session: Session, query: str = "", limit: int = 50, cursor: int | None = None) -> Page:
    """What anyone may see: accepted 可向社会公开 commitments, as masked documents."""
    conditions = [Commitment.disclosure == "public", Commitment.status.in_(PUBLISHED)]
    if normal_query(query):
        conditions.append(_matches(normal_query(query)))
    page = _page(session, conditions, limit, cursor)
    return Page([commitment_document(row, show_personal=False, public=True) for row in page.items], page.next_cursor)


def department_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every department with commitments, for the register's filter."""
    query = (select(Commitment.department_code, func.max(Commitment.department_name))
             .group_by(Commitment.department_code).order_by(Commitment.department_code))
    return [(code, name) for code, name in session.execute(query)]


def normal_query(text: str | None) -> str:
    """Full-width characters from Chinese input methods, stray spaces, a lower-case x."""
    return unicodedata.normalize("NFKC", search_text(text)).strip()


def _page(session: Session, conditions: list[ColumnElement[bool]], limit: int, cursor: int | None) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    query = select(Commitment).where(*conditions).order_by(Commitment.id.desc()).limit(limit + 1)
    if cursor is not None:
        query = query.where(Commitment.id < cursor)
    rows = list(session.scalars(query))
    return Page(rows[:limit], rows[limit - 1].id if len(rows) > limit else None)


def _matches(text: str) -> ColumnElement[bool]:
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(Commitment.code == text, Commitment.subject_code == text.upper(),
               Commitment.subject_name.like(like, escape="\\"))


def _due() -> ColumnElement[date]:
    return func.coalesce(Commitment.verify_on, Commitment.valid_until)


def _overdue(today: date) -> ColumnElement[bool]:
    """Accepted, its verification date (else its end of validity) passed, and not verified."""
    return and_(Commitment.status == "accepted", Commitment.verified_on.is_(None), _due() < today)


# -- dashboard -------------------------------------------------------------------------------

def fulfilment_rate(fulfilled: int, breached: int) -> float | None:
    """践诺率 = fulfilled / (fulfilled + breached); None before any commitment was verified."""
    return fulfilled / (fulfilled + breached) if fulfilled + breached else None


def dashboard(session: Session, now: datetime, department_code: str | None = None) -> dict[str, Any]:
    """Counts by type, department and status, 践诺率, overdue verifications (JSON-ready)."""
    today = local_today(now)
    scope = [Commitment.department_code == department_code] if department_code else []
    by_type = session.execute(select(Commitment.commitment_type, Commitment.status, func.count())
                              .where(*scope).group_by(Commitment.commitment_type, Commitment.status)).all()
    by_department = session.execute(
        select(Commitment.department_code, func.max(Commitment.department_name), Commitment.status, func.count())
        .where(*scope).group_by(Commitment.department_code, Commitment.status)).all()
    late = dict(session.execute(select(Commitment.department_code, func.count())
                                .where(*scope, _overdue(today)).group_by(Commitment.department_code)).all())
    by_status: dict[str, int] = {}
    for _type, status, count in by_type:
        by_status[status] = by_status.get(status, 0) + count
    fulfilled, breached = by_status.get("fulfilled", 0), by_status.get("breached", 0)
    return {
        "as_of": today.isoformat(), "department_code": department_code,
        "total": sum(by_status.values()), "by_status": by_status,
        "fulfilled": fulfilled, "breached": breached, "fulfilment_rate": fulfilment_rate(fulfilled, breached),
        "by_type": _type_rows(by_type), "by_department": _department_rows(by_department, late),
        "overdue": {"count": sum(late.values()), "items": _overdue_items(session, scope, today)},
    }


def _type_rows(counts: list[Any]) -> list[dict[str, Any]]:
    rows = {key: _tally({"type": key, "name": name}) for key, name in TYPES.items()}
    for key, status, count in counts:
        _add(rows.setdefault(key, _tally({"type": key, "name": key})), status, count)
    return [_with_rate(row) for row in rows.values()]


def _department_rows(counts: list[Any], late: dict[str, int]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for code, name, status, count in counts:
        row = rows.setdefault(code, _tally({"department_code": code, "department_name": name,
                                            "overdue": late.get(code, 0)}))
        _add(row, status, count)
    return [_with_rate(rows[code]) for code in sorted(rows)]


def _tally(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"total": 0, "accepted": 0, "fulfilled": 0, "breached": 0}


def _add(row: dict[str, Any], status: str, count: int) -> None:
    row["total"] += count
    if status in ("accepted", "fulfilled", "breached"):
        row[status] += count


def _with_rate(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"fulfilment_rate": fulfilment_rate(row["fulfilled"], row["breached"])}


def _overdue_items(session: Session, scope: list[ColumnElement[bool]], today: date) -> list[dict[str, Any]]:
    """The most overdue first; the list is capped, the count is not."""
    query = (select(Commitment).where(*scope, _overdue(today)).order_by(_due(), Commitment.id)
             .limit(OVERDUE_SHOWN))
    return [{"code": row.code, "case_id": row.case_id, "subject_name": row.subject_name,
             "subject_code": mask_subject_code(row.subject_code), "commitment_type": row.commitment_type,
             "commitment_type_name": TYPES.get(row.commitment_type, row.commitment_type),
             "department_code": row.department_code, "department_name": row.department_name,
             "due_on": (row.verify_on or row.valid_until).isoformat(),
             "days_overdue": (today - (row.verify_on or row.valid_until)).days}
            for row in session.scalars(query)]


# -- documents -------------------------------------------------------------------------------

def commitment_document(row: Commitment, show_personal: bool, public: bool = False) -> dict[str, Any]:
    """The national data items of a commitment (API keys are stable, API.md); `public`: as
    anyone may see it (a breach proposed or dropped after due process reads as accepted)."""
    status, fulfilment = row.status, row.fulfilment
    if public and row.status in UNDECIDED:  # a proposed or dropped finding is nobody's business
        status, fulfilment = UNDECIDED[row.status], None
    return {
        "code": row.code, "subject_name": row.subject_name, "subject_category": row.subject_category,
        "subject_code": row.subject_code if show_personal else mask_subject_code(row.subject_code),
        "commitment_type": row.commitment_type,
        "commitment_type_name": TYPES.get(row.commitment_type, row.commitment_type),
        "matter": row.matter, "content": row.content, "liability": row.liability,
        "made_on": _iso(row.made_on), "valid_until": _iso(row.valid_until), "disclosure": row.disclosure,
        "department_name": row.department_name, "status": status, "fulfilment": fulfilment,
        "unfulfilled": row.unfulfilled if fulfilment else "", "liability_action": row.liability_action if fulfilment else "",
        "verified_on": _iso(row.verified_on), "verified_by": row.verified_by,
    }


def internal_fields(row: Commitment) -> dict[str, Any]:
    """What staff see beyond the national items: where the row came from and its case."""
    return {
        "case_id": row.case_id, "department_code": row.department_code, "verify_on": _iso(row.verify_on),
        "text": row.text, "template_version": row.template_version,
        "deficiency_materials": row.deficiency_materials, "deficiency_due": _iso(row.deficiency_due),
        "breach_record_id": row.breach_record_id, "source": row.source,
        "origin_case_id": row.origin_case_id, "record_ids": row.record_ids or [],
        "created_at": to_local(row.created_at).isoformat(timespec="seconds"),
        "updated_at": to_local(row.updated_at).isoformat(timespec="seconds"),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# -- for the pages and the API: one read transaction each ----------------------------------

@dataclass(frozen=True)
class RegisterView:
    page: Page
    wanted: RegisterFilter  # narrowed to the officer's department
    departments: list[tuple[str, str]]  # filter choices; empty when the caller sees one department


def register_view(store: Store, actor: Actor, wanted: RegisterFilter, now: datetime) -> RegisterView:
    """The register page: rows in the caller's scope and the department filter's choices."""
    require(actor, "may_read_commitments")
    wanted = scoped(actor, wanted)
    with store.read() as session:
        page = list_commitments(session, wanted, now)
        departments = department_choices(session) if department_scope(actor) is None else []
    return RegisterView(page, wanted, departments)


def register_documents(store: Store, actor: Actor, wanted: RegisterFilter, now: datetime) -> Page:
    """A page of the register as masked documents (lists never show ID numbers in full)."""
    view = register_view(store, actor, wanted, now)
    return Page([commitment_document(row, show_personal=False) for row in view.page.items], view.page.next_cursor)


def commitment_for(store: Store, actor: Actor, code: str) -> Commitment:
    with store.read() as session:
        return readable_commitment(session, actor, code)


def commitment_body(store: Store, actor: Actor, code: str) -> dict[str, Any]:
    """One commitment as JSON; staff also see the internal verification fields."""
    row = commitment_for(store, actor, code)
    body = commitment_document(row, show_personal=True)
    return body | internal_fields(row) if allows(actor, "may_read_commitments") else body


def dashboard_for(store: Store, actor: Actor, now: datetime) -> dict[str, Any]:
    """The dashboard of the caller's scope (officers: their own department)."""
    require(actor, "may_read_commitments")
    department = department_scope(actor)
    with store.read() as session:
        return dashboard(session, now, department_code=department)


def published(store: Store, query: str, limit: int, cursor: int | None) -> Page:
    """What anyone may see, without signing in."""
    with store.read() as session:
        return public_commitments(session, query, limit, cursor)
