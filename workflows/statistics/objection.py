"""Objections: outcomes (correct / revoke / uphold), the days publicity stayed suspended, and
the on-time rate of the office's first review and the department's verification."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.models.cases import Case, CaseEvent
from workflows.statistics import deadlines
from workflows.statistics.days import as_day, day_of
from workflows.statistics.period import Scope
from workflows.statistics.scoping import cases_received
from workflows.statistics.tables import Chart, Section, Table

KIND = "objection"
OUTCOMES = {"corrected": "更正", "revoked": "撤销", "upheld": "维持", "not_accepted": "不予受理", "withdrawn": "撤回"}
DEADLINES = {"first_review": "本级审核", "verify": "认定部门核实"}


def objection_section(session: Session, scope: Scope) -> Section:
    rows = session.execute(select(Case.outcome, Case.status, func.count()).where(*cases_received(scope, KIND))
                           .group_by(Case.outcome, Case.status))
    counts: Counter = Counter()
    for outcome, status, count in rows:
        counts["open" if status == "running" else outcome] += count
    tallies, _reached = deadlines.task_tallies(session, scope, KIND)
    suspension = suspension_days(session, scope)
    figures = {"filed": sum(counts.values()), "open": counts["open"], **{k: counts[k] for k in OUTCOMES}, **suspension,
               "on_time": {k: {"on_time": t.on_time, "late": t.late, "overdue": t.overdue, "rate": t.rate}
                           for k, t in tallies.items()}}
    summary = Table("objection_summary", "异议办理结果", ["结果", "件数"],
                    [[label, counts[key]] for key, label in OUTCOMES.items()] + [["办理中", counts["open"]],
                                                                                ["合计", figures["filed"]]])
    days = Table("objection_suspension", "暂停公示天数", ["暂停公示件数", "合计天数", "平均天数", "最长天数"],
                 [[suspension["suspended_cases"], suspension["suspension_days"],
                   _avg(suspension["suspension_average"]), suspension["suspension_max"]]],
                 note="自暂停公示之日起至办结之日（未办结的至今日），按自然日计算。")
    missed = deadlines.missed_tasks(session, scope, KIND, DEADLINES, tallies)
    charts = [Chart("objection_outcomes", "pie", "异议办理结果构成", list(OUTCOMES.values()),
                    [("件数", [counts[k] for k in OUTCOMES])], "objection_summary"),
              Chart("objection_on_time", "bar", "各时限按时率", [DEADLINES[k] for k in tallies],
                    [("按时率", [t.rate for t in tallies.values()])], "objection_on_time", percent=True)]
    return Section(KIND, "异议处理", figures, [summary, days,
                                              deadlines.on_time_table("objection_on_time", tallies, DEADLINES),
                                              deadlines.missed_table("objection_missed", missed)], charts)


def suspension_days(session: Session, scope: Scope) -> dict[str, int | float | None]:
    """Calendar days between the suspension and the case's end (today while it is open)."""
    today = to_local(scope.now).date()
    rows = session.execute(select(day_of(CaseEvent.at), day_of(Case.closed_at), func.count())
                           .join(Case, Case.id == CaseEvent.case_id)
                           .where(CaseEvent.kind == "suspended", *cases_received(scope, KIND))
                           .group_by(day_of(CaseEvent.at), day_of(Case.closed_at))).all()
    spans = [((as_day(end) or today) - as_day(start)).days for start, end, _n in rows]
    counts = [n for _s, _e, n in rows]
    total, cases = sum(s * n for s, n in zip(spans, counts)), sum(counts)
    return {"suspended_cases": cases, "suspension_days": total,
            "suspension_average": total / cases if cases else None, "suspension_max": max(spans, default=0)}


def _avg(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"

