"""What callers read about records: the API documents, the 逢办必查 check, list queries.

Personal ID numbers are masked unless the caller's role may see them (`show_personal`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.errors import NotFound
from workflows.core.identifiers import mask_subject_code, validate_subject_code
from workflows.core.limits import search_text
from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory
from .history import json_value, record_history, record_measures

NOT_COUNTED = ("revoked", "stopped")  # records whose measures no longer bind anyone


def record_document(record: CreditRecord, measures: list[PunishmentMeasure],
                    history: list[RecordHistory] | None, *, show_personal: bool) -> dict[str, Any]:
    code = record.subject_code if show_personal else mask_subject_code(record.subject_code)
    document = {
        "id": record.id, "subject_code": code, "subject_name": record.subject_name,
        "kind": record.kind, "severity": record.severity, "category": record.category,
        "sector": record.sector, "non_repairable": record.non_repairable,
        "misconduct_category": record.misconduct_category,
        "non_repairable_by_category": record.category_non_repairable,
        "non_repairable_reason": record.non_repairable_reason,
        "decision_no": record.decision_no, "decision_date": json_value(record.decision_date),
        "department_code": record.department_code, "department_name": record.department_name,
        "facts": record.facts, "basis": record.basis, "content": record.content,
        "fine_amount": json_value(record.fine_amount), "regime": record.regime,
        "publicity_status": record.publicity_status,
        "publicity_start": json_value(record.publicity_start),
        "publicity_min_end": json_value(record.publicity_min_end),
        "publicity_max_end": json_value(record.publicity_max_end),
        "earliest_repair_date": json_value(record.publicity_min_end),
        "bars_repair_until": json_value(record.bars_repair_until),
        "source": record.source, "created_by": record.created_by,
        "created_at": _iso(record.created_at), "updated_at": _iso(record.updated_at),
        "measures": [measure_document(m) for m in measures],
    }
    if history is not None:
        document["history"] = [history_document(h) for h in history]
    return document


def measure_document(measure: PunishmentMeasure) -> dict[str, Any]:
    return {"id": measure.id, "record_id": measure.record_id, "name": measure.name,
            "basis": measure.basis, "implementing_department": measure.implementing_department,
            "state": measure.state, "reason": measure.reason, "case_id": measure.case_id,
            "changed_at": _iso(measure.changed_at)}


def history_document(row: RecordHistory) -> dict[str, Any]:
    return {"id": row.id, "at": _iso(row.at), "actor": row.actor, "action": row.action,
            "case_id": row.case_id, "before": row.before, "after": row.after}


def full_record_document(session: Session, record: CreditRecord, *, show_personal: bool) -> dict[str, Any]:
    return record_document(record, record_measures(session, record.id),
                           record_history(session, record.id), show_personal=show_personal)


def subject_document(session: Session, code: str, *, show_personal: bool) -> dict[str, Any]:
    """A subject with every credit record about it (newest first, without history)."""
    _, code = validate_subject_code(code)
    subject = session.get(Subject, code)
    if subject is None:
        raise NotFound("主体不存在")
    records = list(session.scalars(select(CreditRecord).where(CreditRecord.subject_code == code)
                                   .order_by(CreditRecord.decision_date.desc(), CreditRecord.id.desc())))
    measures = _measures_by_record(session, [r.id for r in records])
    return {"code": code if show_personal else mask_subject_code(code), "name": subject.name,
            "category": subject.category,
            "records": [record_document(r, measures.get(r.id, []), None, show_personal=show_personal)
                        for r in records]}


def check_subject(session: Session, code: str, *, show_personal: bool = True) -> dict[str, Any]:
    """逢办必查: the punishments an approving department must apply to this subject now.

    Suspended measures are listed apart, with the reason (the objection case), because
    they must not be enforced while the record is verified.
    """
    _, code = validate_subject_code(code)
    subject = session.get(Subject, code)
    query = (select(PunishmentMeasure, CreditRecord)
             .join(CreditRecord, CreditRecord.id == PunishmentMeasure.record_id)
             .where(CreditRecord.subject_code == code, CreditRecord.publicity_status.not_in(NOT_COUNTED),
                    PunishmentMeasure.state.in_(("active", "suspended")))
             .order_by(CreditRecord.id, PunishmentMeasure.id))
    active, suspended = [], []
    for measure, record in session.execute(query):
        entry = {"measure_id": measure.id, "record_id": record.id, "record_decision_no": record.decision_no,
                 "record_kind": record.kind, "department_name": record.department_name,
                 "name": measure.name, "basis": measure.basis,
                 "implementing_department": measure.implementing_department}
        if measure.state == "active":
            active.append(entry)
        else:
            suspended.append({**entry, "reason": measure.reason, "case_id": measure.case_id})
    return {"code": code if show_personal else mask_subject_code(code),
            "name": subject.name if subject else None,
            "active_measures": active, "suspended_measures": suspended}


@dataclass(frozen=True)
class RecordFilter:
    text: str = ""  # subject code, or part of the subject name or decision number
    kind: str | None = None
    status: str | None = None
    subject_code: str | None = None
    department_code: str | None = None


def list_records(session: Session, wanted: RecordFilter, *, limit: int = 50,
                 before_id: int | None = None) -> list[CreditRecord]:
    """Newest first; page on with `before_id` = the last id of the previous page."""
    query = records_matching(wanted).order_by(CreditRecord.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(CreditRecord.id < before_id)
    return list(session.scalars(query))


def records_matching(wanted: RecordFilter) -> Select:
    """The records a filter selects, unordered (lists and exports order and page it)."""
    query = select(CreditRecord)
    text = search_text(wanted.text)
    if text:
        like = f"%{_escape_like(text)}%"
        query = query.where(or_(CreditRecord.subject_code == text.upper(),
                                CreditRecord.subject_name.like(like, escape="\\"),
                                CreditRecord.decision_no.like(like, escape="\\")))
    for column, value in ((CreditRecord.kind, wanted.kind), (CreditRecord.publicity_status, wanted.status),
                          (CreditRecord.subject_code, wanted.subject_code),
                          (CreditRecord.department_code, wanted.department_code)):
        if value:
            query = query.where(column == value)
    return query


def _measures_by_record(session: Session, ids: list[int]) -> dict[int, list[PunishmentMeasure]]:
    grouped: dict[int, list[PunishmentMeasure]] = {}
    for start in range(0, len(ids), 500):
        query = (select(PunishmentMeasure).where(PunishmentMeasure.record_id.in_(ids[start:start + 500]))
                 .order_by(PunishmentMeasure.id))
        for measure in session.scalars(query):
            grouped.setdefault(measure.record_id, []).append(measure)
    return grouped


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _iso(moment) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment is not None else None
