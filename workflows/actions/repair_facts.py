"""The facts the repair-eligibility DMN judges a record by (DOMAIN.md §B)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import LOCAL_TZ
from ..models import Case, CaseRecord, CreditRecord

OPEN_KINDS = ("repair", "objection")


def eligibility_facts(session: Session, record: CreditRecord, case_id: int, today: date) -> dict[str, Any]:
    last = _last_repair(session, record.subject_code, case_id)
    return {
        "regime": record.regime, "kind": record.kind, "severity": record.severity,
        "non_repairable": bool(record.non_repairable),
        "open_case": _open_case_exists(session, record.id, case_id),
        "refused_interview": _refused_interview(session, record.subject_code),
        "min_period_elapsed": record.publicity_min_end is None or today >= record.publicity_min_end,
        "repairs_last_year": _repairs_since(session, record.subject_code, today - timedelta(days=365)),
        "repairs_5y": _repairs_since(session, record.subject_code, today - timedelta(days=5 * 365)),
        "last_repair_date": last.isoformat() if last else None,
    }


def _open_case_exists(session: Session, record_id: int, case_id: int) -> bool:
    """Starts from the record's few links, not from every running case (bench/repair_scale.py)."""
    linked = select(CaseRecord.case_id).where(CaseRecord.record_id == record_id)
    query = (select(Case.id).where(Case.id.in_(linked), Case.id != case_id, Case.status == "running",
                                   Case.kind.in_(OPEN_KINDS)).limit(1))
    return session.scalars(query).first() is not None


def _refused_interview(session: Session, subject_code: str) -> bool:
    """An interview record marked as refused (written by the interview flow) bars repair."""
    query = select(func.count()).select_from(CreditRecord).where(
        CreditRecord.subject_code == subject_code, CreditRecord.kind == "interview_record",
        CreditRecord.category == "refused", CreditRecord.publicity_status != "revoked")
    return bool(session.scalar(query))


def _approved_repairs(subject_code: str, case_id: int):
    return select(Case).where(Case.subject_code == subject_code, Case.kind == "repair",
                              Case.outcome == "approved", Case.id != case_id)


def _repairs_since(session: Session, subject_code: str, since: date) -> int:
    start = datetime.combine(since, time.min, LOCAL_TZ)
    query = _approved_repairs(subject_code, -1).where(Case.closed_at >= start)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _last_repair(session: Session, subject_code: str, case_id: int) -> date | None:
    query = _approved_repairs(subject_code, case_id).with_only_columns(func.max(Case.closed_at))
    last = session.scalar(query)
    return last.astimezone(LOCAL_TZ).date() if last else None
