"""The WHERE clauses every section shares: cases received in the period, the filters."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.sql.expression import ColumnElement

from workflows.core.models.cases import Case, HumanTask
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.statistics.period import Scope

DEADLINE_TASKS = {  # (case kind, deadline) -> the user tasks whose due time it is
    ("repair", "first_review"): ("review", "first_review"),
    ("repair", "department_decision"): ("department_decision",),
    ("objection", "first_review"): ("first_review",),
    ("objection", "verify"): ("verify",),
}


def cases_received(scope: Scope, kind: str) -> list[ColumnElement[bool]]:
    """Cases of `kind` received in the period, in the filtered department and regime."""
    found = [Case.kind == kind, Case.received_at >= scope.period.utc_start, Case.received_at < scope.period.utc_end]
    if scope.filters.department:
        found.append(Case.department_code == scope.filters.department)
    if scope.filters.regime:
        found.append(exists(select(CaseRecord.case_id).join(CreditRecord, CreditRecord.id == CaseRecord.record_id)
                            .where(CaseRecord.case_id == Case.id, CreditRecord.regime == scope.filters.regime)))
    return found


def missed(now: datetime) -> ColumnElement[bool]:
    """A task done after its due time, or still open past it."""
    return ((HumanTask.state == "completed") & (HumanTask.completed_at > HumanTask.due_at)) | (
        (HumanTask.state == "ready") & (HumanTask.due_at < now))


def case_link(case_id: int) -> str:
    return f"/desk/cases/{case_id}"
