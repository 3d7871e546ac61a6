"""Reading the audit log (`case_event`): search, pages newest first, a bounded export.

Shared by `/admin/audit`, its CSV export and `GET /api/v1/audit`: the same filter parsing (with
Chinese messages for bad input), the same permission, one read session per call. Dates are
local (Asia/Shanghai) days, inclusive at both ends; pages are keyset pages on the event id.
Entries carry the actor's name beside the username and a summary with names (one lookup per
page or export chunk); the stored summary stays for the export and the API.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workflows.core.clock import LOCAL_TZ, as_utc
from workflows.core.errors import InvalidInput
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.store import Store
from workflows.engine.timeline import event_usernames, readable_summary
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.people.permissions import require

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
CHUNK = 1_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_LENGTHS = {"case_id": 18, "subject_code": 18, "actor": 64, "kind": 48, "since": 10, "until": 10,
               "cursor": 18, "after": 18}
LABELS = {"case_id": "案件编号", "subject_code": "主体代码", "actor": "操作人", "kind": "事件类型",
          "since": "开始日期", "until": "结束日期", "cursor": "翻页位置", "after": "翻页位置"}
_DIGITS = re.compile(r"\d{1,18}")


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asked for; None means "any"."""

    case_id: int | None = None
    subject_code: str | None = None
    actor: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None

    def as_query(self) -> dict[str, str]:
        """The filter as query-string arguments (links to the next page and the export)."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    kind: str
    case_id: int | None
    subject_code: str | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor_name: str = ""  # the display name (system actors: 系统 …)
    readable: str = ""  # the summary with people's names instead of usernames


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditEntry]
    next_cursor: int | None  # pass as `cursor` for the next (older) page
    total: int | None = None  # entries matching the search (the page shows it; the API leaves it out)
    prev_cursor: int | None = None  # pass as `after` for the previous (newer) page


def parse_filter(args: Mapping[str, str]) -> tuple[AuditFilter, int | None]:
    """The filter and the page position (`cursor`: show events older than this id) from query
    arguments; InvalidInput names every bad field."""
    wanted, cursor, _after = parse_position(args)
    return wanted, cursor


def parse_position(args: Mapping[str, str]) -> tuple[AuditFilter, int | None, int | None]:
    """As `parse_filter`, with `after` too (show the page of events just newer than this id),
    so the page can step back; one of the two positions at most."""
    text = {name: (args.get(name) or "").strip() for name in LABELS}
    errors = {name: f"{LABELS[name]}不能超过{limit}个字符" for name, limit in MAX_LENGTHS.items()
              if len(text[name]) > limit}
    numbers = {name: _number(text[name], name, errors) for name in ("case_id", "cursor", "after")}
    if numbers["cursor"] is not None and numbers["after"] is not None:
        errors["after"] = "翻页位置只能给出一个"
    days = {name: _day(text[name], name, errors) for name in ("since", "until")}
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = "结束日期不能早于开始日期"
    if errors:
        raise InvalidInput("查询条件有误：" + "；".join(errors.values()), errors)
    wanted = AuditFilter(numbers["case_id"], text["subject_code"].upper() or None, text["actor"] or None,
                         text["kind"] or None, days["since"], days["until"])
    return wanted, numbers["cursor"], numbers["after"]


def audit_page(store: Store, actor: Actor, wanted: AuditFilter, cursor: int | None = None,
               limit: int = PAGE_SIZE, after: int | None = None) -> AuditPage:
    """One page of events, newest first: older than event `cursor`, or the `limit` events just
    newer than event `after` (the previous page), or the newest. Both links are exact: each
    is given only when there are entries on that side."""
    require(actor, "may_read_audit_log", "只有审计人员和信用办可以查看审计日志")
    with store.read() as session:
        if after is not None:
            rows = _fetch_newer(session, wanted, after, limit + 1)
            rows, newer = rows[-limit:], len(rows) > limit
            older = bool(rows) and _exists(session, wanted, CaseEvent.id < rows[-1].id)
        else:
            rows = _fetch(session, wanted, cursor, limit + 1)
            rows, older = rows[:limit], len(rows) > limit
            newer = cursor is not None and bool(rows) and _exists(session, wanted, CaseEvent.id > rows[0].id)
        total = session.execute(select(func.count()).select_from(_query(wanted).subquery())).scalar_one()
    return AuditPage(rows, rows[-1].id if older else None, total, rows[0].id if newer else None)


def export_entries(store: Store, actor: Actor, wanted: AuditFilter, cap: int = EXPORT_LIMIT) -> Iterator[AuditEntry]:
    """Every matching event, newest first, at most `cap`; checked now, read lazily (for streaming)."""
    require(actor, "may_read_audit_log", "只有审计人员和信用办可以查看审计日志")
    return _stream(store, wanted, cap)


def _stream(store: Store, wanted: AuditFilter, cap: int) -> Iterator[AuditEntry]:
    """Keyset chunks from one session. Rows appended meanwhile have higher ids than the first
    chunk, so they are not mixed in: the export is the log as it was when it began."""
    with store.read() as session:
        before, left = None, cap
        while left > 0:
            rows = _fetch(session, wanted, before, min(CHUNK, left))
            yield from rows
            if len(rows) < min(CHUNK, left):
                return
            before, left = rows[-1].id, left - len(rows)


def _fetch(session: Session, wanted: AuditFilter, before: int | None, limit: int) -> list[AuditEntry]:
    query = _query(wanted)
    if before is not None:
        query = query.where(CaseEvent.id < before)
    rows = list(session.execute(query.order_by(CaseEvent.id.desc()).limit(limit)))
    names = display_names(session, event_usernames(event for event, _code in rows))
    return [_entry(event, code, names) for event, code in rows]


def _fetch_newer(session: Session, wanted: AuditFilter, after: int, limit: int) -> list[AuditEntry]:
    """Up to `limit` events just newer than `after`, newest first (read oldest first, then turned)."""
    rows = list(session.execute(_query(wanted).where(CaseEvent.id > after).order_by(CaseEvent.id.asc()).limit(limit)))
    names = display_names(session, event_usernames(event for event, _code in rows))
    return [_entry(event, code, names) for event, code in reversed(rows)]


def _exists(session: Session, wanted: AuditFilter, condition: Any) -> bool:
    return session.execute(select(_query(wanted).where(condition).exists())).scalar_one()


def _query(wanted: AuditFilter) -> Select:
    query = select(CaseEvent, Case.subject_code).outerjoin(Case, Case.id == CaseEvent.case_id)
    if wanted.case_id is not None:
        query = query.where(CaseEvent.case_id == wanted.case_id)
    if wanted.subject_code:
        query = query.where(Case.subject_code == wanted.subject_code)
    if wanted.actor:
        query = query.where(CaseEvent.actor == wanted.actor)
    if wanted.kind:
        query = query.where(CaseEvent.kind == wanted.kind)
    if wanted.since:
        query = query.where(CaseEvent.at >= _local_midnight(wanted.since))
    if wanted.until:
        query = query.where(CaseEvent.at < _local_midnight(wanted.until + timedelta(days=1)))
    return query


def _entry(event: CaseEvent, subject_code: str | None, names: dict[str, str]) -> AuditEntry:
    return AuditEntry(event.id, as_utc(event.at), event.actor, event.kind, event.case_id, subject_code,
                      event.summary, event.before, event.after, names.get(event.actor, event.actor),
                      readable_summary(event, names))


def _local_midnight(day: date) -> datetime:
    return as_utc(datetime.combine(day, time(), tzinfo=LOCAL_TZ))


def _number(value: str, name: str, errors: dict[str, str]) -> int | None:
    if not value or name in errors:
        return None
    if not _DIGITS.fullmatch(value) or int(value) == 0:
        errors[name] = f"{LABELS[name]}必须是正整数"
        return None
    return int(value)


def _day(value: str, name: str, errors: dict[str, str]) -> date | None:
    if not value or name in errors:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors[name] = f"{LABELS[name]}格式不正确，请使用 2026-10-08 这样的日期（{FIRST_YEAR}–{LAST_YEAR} 年）"
    return day if name not in errors else None
