"""What the record pages and API read, each in one read transaction; permission checked first."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflows.core.errors import NotFound
from workflows.core.identifiers import validate_subject_code
from workflows.core.paging import KeysetPage, newest_first
from workflows.core.store import Store
from workflows.people.access import Actor
from workflows.people.names import display_names
from workflows.core.models.people import Department
from workflows.people.permissions import allows, require

from .access import may_read_subject, readable_record
from .documents import (
    RecordFilter,
    check_subject,
    full_record_document,
    list_records,
    record_document,
    records_matching,
    subject_document,
)
from .history import record_history, record_measures
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory


@dataclass(frozen=True)
class RecordPage:
    """One record as its detail page shows it."""

    record: CreditRecord
    measures: list[PunishmentMeasure]
    history: list[RecordHistory]
    names: dict[str, str]  # username → name of whoever changed it


@dataclass(frozen=True)
class RecordList:
    items: list[dict[str, Any]]
    next_cursor: str | None


def browse_records(store: Store, actor: Actor, wanted: RecordFilter, limit: int,
                   before_id: int | None = None) -> list[CreditRecord]:
    """Up to `limit` records, newest first (staff only)."""
    require(actor, "may_read_records")
    with store.read() as session:
        return list_records(session, wanted, limit=limit, before_id=before_id)


def records_page(store: Store, actor: Actor, wanted: RecordFilter, limit: int,
                 older: int | None = None, newer: int | None = None) -> KeysetPage:
    """A page of records newest first, with the total and the cursors both ways (staff only)."""
    require(actor, "may_read_records")
    with store.read() as session:
        return newest_first(session, records_matching(wanted), CreditRecord.id, limit, older, newer)


def export_records(store: Store, actor: Actor, wanted: RecordFilter, limit: int) -> list[CreditRecord]:
    """Every record the filter selects (up to `limit`), newest first, for a CSV download."""
    require(actor, "may_read_records")
    with store.read() as session:
        return list(session.scalars(records_matching(wanted).order_by(CreditRecord.id.desc()).limit(limit)))


def record_page(store: Store, actor: Actor, record_id: int) -> RecordPage:
    with store.read() as session:
        record = readable_record(session, actor, record_id)
        history = list(record_history(session, record.id))
        return RecordPage(record, list(record_measures(session, record.id)), history,
                          display_names(session, (row.actor for row in history)))


def record_list(store: Store, actor: Actor, wanted: RecordFilter, limit: int, cursor: int | None) -> RecordList:
    """A page of masked record documents (lists never show ID numbers in full)."""
    require(actor, "may_read_records")
    with store.read() as session:
        rows = list_records(session, wanted, limit=limit + 1, before_id=cursor)
        items = [record_document(r, record_measures(session, r.id), None, show_personal=False) for r in rows[:limit]]
    return RecordList(items, str(rows[limit - 1].id) if len(rows) > limit else None)


def record_for(store: Store, actor: Actor, record_id: int) -> dict[str, Any]:
    """A record with measures and history; personal data in full for staff only."""
    with store.read() as session:
        record = readable_record(session, actor, record_id)
        return full_record_document(session, record, show_personal=allows(actor, "may_read_records"))


def subject_for(store: Store, actor: Actor, code: str) -> dict[str, Any]:
    """A subject with its records: staff, or the subject itself (others: not found, no leak)."""
    _category, code = validate_subject_code(code)
    if not may_read_subject(actor, code):
        raise NotFound("未找到请求的资源。")
    with store.read() as session:
        return subject_document(session, code, show_personal=allows(actor, "may_read_records"))


def subject_check(store: Store, actor: Actor, code: str) -> dict[str, Any]:
    """逢办必查: the measures to apply to a subject now — for staff and system clients; an
    applicant only for a subject it is bound to (no one reads another company's name this way)."""
    _, normalised = validate_subject_code(code)
    require(actor, "may_check_subjects", "只能查询本主体的信用状况", subject_code=normalised)
    with store.read() as session:
        return check_subject(session, code, show_personal=allows(actor, "may_read_records"))


def own_department_name(store: Store, actor: Actor) -> str | None:
    """The name of the officer's department, to prefill a new record."""
    if not actor.department_code:
        return None
    with store.read() as session:
        department = session.get(Department, actor.department_code)
        return department.name if department else None
