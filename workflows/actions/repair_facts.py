"""The facts the repair-eligibility DMN judges a record by (DOMAIN.md §B)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Exists, Subquery, exists, func, select
from sqlalchemy.orm import Session

from ..clock import LOCAL_TZ
from ..models import Case, CaseRecord, CreditRecord

OPEN_KINDS = ("repair", "objection")


def eligibility_facts(session: Session, record: CreditRecord, case_id: int, today: date) -> dict[str, Any]:
    """Everything the DMN needs beyond the record itself, read in one statement."""
    history = _repair_history(record.subject_code, case_id, today)
    query = select(history.c.last_year, history.c.five_years, history.c.last,
                   _open_case(record.id, case_id).label("open_case"),
                   _refused_interview(record.subject_code).label("refused_interview")).select_from(history)
    row = session.execute(query).one()
    last = _as_local_day(row.last) if row.last else None
    return {
        "regime": record.regime, "kind": record.kind, "severity": record.severity,
        "non_repairable": bool(record.non_repairable),
        "open_case": bool(row.open_case), "refused_interview": bool(row.refused_interview),
        "min_period_elapsed": record.publicity_min_end is None or today >= record.publicity_min_end,
        "repairs_last_year": row.last_year or 0, "repairs_5y": row.five_years or 0,
        "last_repair_date": last.isoformat() if last else None,
    }


def _open_case(record_id: int, case_id: int) -> Exists:
    """Another running repair or objection on the record; starts from the record's few links,
    not from every running case (bench/repair_scale.py)."""
    linked = select(CaseRecord.case_id).where(CaseRecord.record_id == record_id)
    return exists(select(Case.id).where(Case.id.in_(linked), Case.id != case_id, Case.status == "running",
                                        Case.kind.in_(OPEN_KINDS)))


def _refused_interview(subject_code: str) -> Exists:
    """An interview record marked as refused (written by the interview flow) bars repair."""
    return exists(select(CreditRecord.id).where(
        CreditRecord.subject_code == subject_code, CreditRecord.kind == "interview_record",
        CreditRecord.category == "refused", CreditRecord.publicity_status != "revoked"))


def _repair_history(subject_code: str, case_id: int, today: date) -> Subquery:
    """Approved repairs of the subject in the last year, the last five years, and the latest."""
    year = datetime.combine(today - timedelta(days=365), time.min, LOCAL_TZ)
    five = datetime.combine(today - timedelta(days=5 * 365), time.min, LOCAL_TZ)
    return select(func.count().filter(Case.closed_at >= year).label("last_year"),
                  func.count().filter(Case.closed_at >= five).label("five_years"),
                  func.max(Case.closed_at).label("last")).where(
        Case.subject_code == subject_code, Case.kind == "repair", Case.outcome == "approved",
        Case.id != case_id).subquery()


def _as_local_day(moment) -> date:
    from ..clock import as_utc
    return as_utc(moment).astimezone(LOCAL_TZ).date()
