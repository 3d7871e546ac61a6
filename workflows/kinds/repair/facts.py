"""The facts the repair-eligibility DMN judges a record by (DOMAIN.md §B)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Exists, Select, Subquery, bindparam, exists, func, select
from sqlalchemy.orm import Session

from workflows.core.clock import LOCAL_TZ
from workflows.core.models.cases import Case
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.engine.rules import RuleBook

OPEN_KINDS = ("repair", "objection")


def eligibility_facts(session: Session, record: CreditRecord, case_id: int, today: date,
                      rules: RuleBook) -> dict[str, Any]:
    """Everything the DMN needs beyond the record itself, read in one statement; the repeat
    windows it counts repairs in are a rule too (DMN `repair_repeat_windows`)."""
    windows = rules.decide("repair_repeat_windows", judged_on=today)
    row = session.execute(FACTS, {
        "subject_code": record.subject_code, "record_id": record.id, "case_id": case_id,
        "year_ago": datetime.combine(today - timedelta(days=windows["year_window_days"]), time.min, LOCAL_TZ),
        "five_years_ago": datetime.combine(today - timedelta(days=windows["five_year_window_days"]), time.min,
                                           LOCAL_TZ),
        "today": today}).one()
    last = _as_local_day(row.last) if row.last else None
    return {
        "regime": record.regime, "kind": record.kind, "severity": record.severity,
        # the manual tick, or the category rule (DMN record_repairability, judged when written)
        "non_repairable": bool(record.non_repairable) or bool(record.category_non_repairable),
        "open_case": bool(row.open_case), "refused_interview": bool(row.refused_interview),
        "min_period_elapsed": record.publicity_min_end is None or today >= record.publicity_min_end,
        "repairs_last_year": row.last_year or 0, "repairs_5y": row.five_years or 0,
        "last_repair_date": last.isoformat() if last else None,
    }


def _open_case() -> Exists:
    """Another running repair or objection on the record; starts from the record's few links,
    not from every running case (bench/repair_scale.py)."""
    linked = select(CaseRecord.case_id).where(CaseRecord.record_id == bindparam("record_id"))
    return exists(select(Case.id).where(Case.id.in_(linked), Case.id != bindparam("case_id"),
                                        Case.status == "running", Case.kind.in_(OPEN_KINDS)))


def _refused_interview() -> Exists:
    """An unjustified refusal to attend an interview (category `refused`; a justified absence is
    `absent_justified`) bars repair until the day its bar ends (DMN `interview_rules`, set by the
    interview flow)."""
    return exists(select(CreditRecord.id).where(
        CreditRecord.subject_code == bindparam("subject_code"), CreditRecord.kind == "interview_record",
        CreditRecord.category == "refused", CreditRecord.publicity_status != "revoked",
        CreditRecord.bars_repair_until > bindparam("today", type_=Date)))


def _repair_history() -> Subquery:
    """Approved repairs of the subject in the last year, the last five years, and the latest."""
    return select(func.count().filter(Case.closed_at >= bindparam("year_ago")).label("last_year"),
                  func.count().filter(Case.closed_at >= bindparam("five_years_ago")).label("five_years"),
                  func.max(Case.closed_at).label("last")).where(
        Case.subject_code == bindparam("subject_code"), Case.kind == "repair", Case.outcome == "approved",
        Case.id != bindparam("case_id")).subquery()


def _facts_query() -> Select:
    history = _repair_history()
    return select(history.c.last_year, history.c.five_years, history.c.last,
                  _open_case().label("open_case"),
                  _refused_interview().label("refused_interview")).select_from(history)


# Built once: constructing this statement and its cache key cost more than running it.
FACTS = _facts_query()


def _as_local_day(moment) -> date:
    from workflows.core.clock import as_utc
    return as_utc(moment).astimezone(LOCAL_TZ).date()
