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
    last_year, five_years, last = _repair_history(session, record.subject_code, case_id, today)
    return {
        "regime": record.regime, "kind": record.kind, "severity": record.severity,
        "non_repairable": bool(record.non_repairable),
        "open_case": _open_case_exists(session, record.id, case_id),
        "refused_interview": _refused_interview(session, record.subject_code),
        "min_period_elapsed": record.publicity_min_end is None or today >= record.publicity_min_end,
        "repairs_last_year": last_year, "repairs_5y": five_years,
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


def _repair_history(session: Session, subject_code: str, case_id: int, today: date) -> tuple[int, int, date | None]:
    """Approved repairs of the subject in the last year, the last five years, and the latest — one query."""
    year = datetime.combine(today - timedelta(days=365), time.min, LOCAL_TZ)
    five = datetime.combine(today - timedelta(days=5 * 365), time.min, LOCAL_TZ)
    query = select(func.count().filter(Case.closed_at >= year), func.count().filter(Case.closed_at >= five),
                   func.max(Case.closed_at)).where(
        Case.subject_code == subject_code, Case.kind == "repair", Case.outcome == "approved", Case.id != case_id)
    last_year, five_years, last = session.execute(query).one()
    return last_year or 0, five_years or 0, (_as_local_day(last) if last else None)


def _as_local_day(moment) -> date:
    from ..clock import as_utc
    return as_utc(moment).astimezone(LOCAL_TZ).date()
