"""Interviews (约谈) and early warnings: held, attended, rectified, escalated; warnings raised,
interviewed, closed (Xiamen seed §24: warnings are followed by interviews)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.core.models.warnings import EarlyWarning, WarningDepartment
from workflows.statistics.period import Scope
from workflows.statistics.scoping import cases_received
from workflows.statistics.tables import Chart, Section, Table, percent, rate

KIND = "interview"
ABSENCES = ("absence_justified", "absence_unjustified")
ESCALATIONS = ("absence_unjustified", "not_rectified")  # DOMAIN.md §D: not rectified in time → escalation


def interview_section(session: Session, scope: Scope) -> Section:
    figures = interview_figures(session, scope) | warning_figures(session, scope)
    interviews = Table("interview_summary", "约谈情况", ["项目", "数量"], [
        ["发起约谈", figures["started"]], ["已实施约谈", figures["held"]], ["到场", figures["attended"]],
        ["到场率", percent(rate(figures["attended"], figures["held"]))], ["按期整改", figures["rectified"]],
        ["升级处理（无正当理由未到场或逾期未整改）", figures["escalated"]], ["列入重点关注名单", figures["listed"]]],
        note="期间内发起的约谈案件。")
    warnings = Table("warning_summary", "信用风险预警", ["项目", "数量"], [
        ["产生预警", figures["warnings_raised"]], ["已发起约谈", figures["warnings_interviewed"]],
        ["已关闭", figures["warnings_closed"]],
        ["约谈率", percent(rate(figures["warnings_interviewed"], figures["warnings_raised"]))]],
        note="期间内产生的预警。")
    chart = Chart("interview_funnel", "bar", "约谈与预警", ["发起约谈", "已实施", "到场", "按期整改", "升级处理"],
                  [("件数", [figures[k] for k in ("started", "held", "attended", "rectified", "escalated")])],
                  "interview_summary")
    return Section(KIND, "约谈与预警", figures, [interviews, warnings], [chart])


def interview_figures(session: Session, scope: Scope) -> dict[str, int]:
    received = cases_received(scope, KIND)
    started = session.scalar(select(func.count()).select_from(Case).where(*received)) or 0
    held = session.scalar(select(func.count(func.distinct(HumanTask.case_id))).join(Case, Case.id == HumanTask.case_id)
                          .where(HumanTask.bpmn_id == "conduct", HumanTask.state == "completed", *received)) or 0
    events = dict(session.execute(
        select(CaseEvent.kind, func.count(func.distinct(CaseEvent.case_id))).join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.kind.in_(ABSENCES + ("not_rectified",)), *received).group_by(CaseEvent.kind)).all())
    escalated = session.scalar(select(func.count(func.distinct(CaseEvent.case_id))).join(Case, Case.id == CaseEvent.case_id)
                               .where(CaseEvent.kind.in_(ESCALATIONS), *received)) or 0
    outcomes = dict(session.execute(select(Case.outcome, func.count()).where(*received, Case.status == "completed")
                                    .group_by(Case.outcome)).all())
    return {"started": started, "held": held, "attended": held - sum(events.get(k, 0) for k in ABSENCES),
            "rectified": outcomes.get("rectified", 0), "escalated": escalated, "listed": outcomes.get("listed", 0)}


def warning_figures(session: Session, scope: Scope) -> dict[str, int]:
    period = scope.period
    raised = [EarlyWarning.created_at >= period.utc_start, EarlyWarning.created_at < period.utc_end]
    if scope.filters.department:
        raised.append(EarlyWarning.id.in_(select(WarningDepartment.warning_id).where(
            WarningDepartment.department_code == scope.filters.department)))
    counts = dict(session.execute(select(EarlyWarning.status, func.count()).where(*raised)
                                  .group_by(EarlyWarning.status)).all())
    warning_id = CaseEvent.after[("data", "warning_id")].as_integer()
    # an interview follows its warning: its case was received in the period or later. The event
    # kind is wrapped so SQLite's planner (no statistics) starts from the few interview cases
    # instead of every case_started event of the index on kind.
    interviewed = session.scalar(
        select(func.count(func.distinct(EarlyWarning.id))).select_from(Case)
        .join(CaseEvent, CaseEvent.case_id == Case.id).join(EarlyWarning, EarlyWarning.id == warning_id)
        .where(Case.kind == KIND, Case.received_at >= period.utc_start,
               func.coalesce(CaseEvent.kind, "") == "case_started",
               *raised)) or 0
    return {"warnings_raised": sum(counts.values()), "warnings_interviewed": interviewed,
            "warnings_closed": counts.get("closed", 0)}
