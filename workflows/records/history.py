"""Record history rows: every change with before/after, JSON-safe (DESIGN.md principle 8)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory

# What a history snapshot of a record holds; the subject code stays out (personal data).
SNAPSHOT_FIELDS = ("subject_name", "kind", "severity", "category", "sector", "misconduct_category", "non_repairable",
                   "category_non_repairable",
                   "decision_no", "decision_date", "department_code", "department_name", "facts",
                   "basis", "content", "fine_amount", "regime", "publicity_status", "publicity_start",
                   "publicity_min_end", "publicity_max_end", "source")


def json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record: CreditRecord, measures: list[PunishmentMeasure]) -> dict[str, Any]:
    values = {name: json_value(getattr(record, name)) for name in SNAPSHOT_FIELDS}
    values["measures"] = [{"id": m.id, "name": m.name, "state": m.state} for m in measures]
    return values


def write_history(session: Session, record: CreditRecord, actor: str, now: datetime, action: str,
                  before: dict[str, Any] | None, after: dict[str, Any] | None,
                  case_id: int | None = None) -> RecordHistory:
    row = RecordHistory(record_id=record.id, case_id=case_id, at=now, actor=actor, action=action,
                        before=before, after=after)
    session.add(row)
    return row


def record_history(session: Session, record_id: int) -> list[RecordHistory]:
    query = select(RecordHistory).where(RecordHistory.record_id == record_id).order_by(RecordHistory.id)
    return list(session.scalars(query))


def record_measures(session: Session, record_id: int) -> list[PunishmentMeasure]:
    query = (select(PunishmentMeasure).where(PunishmentMeasure.record_id == record_id)
             .order_by(PunishmentMeasure.id))
    return list(session.scalars(query))


def get_record(session: Session, record_id: int) -> CreditRecord:
    record = session.get(CreditRecord, record_id)
    if record is None:
        raise NotFound("信用记录不存在")
    return record


def lock_record(session: Session, record_id: int) -> CreditRecord:
    """The record row locked for this transaction (PostgreSQL; SQLite locks the file)."""
    query = select(CreditRecord).where(CreditRecord.id == record_id).with_for_update()
    record = session.scalars(query).first()
    if record is None:
        raise NotFound("信用记录不存在")
    return record
