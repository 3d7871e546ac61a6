"""Now: the open tasks by lane and age, the overdue ones and those due today (not a period)."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from workflows.core.clock import LOCAL_TZ, as_utc, to_local
from workflows.core.models.cases import Case, HumanTask
from workflows.statistics.period import Scope
from workflows.statistics.tables import Chart, Section, Table

LANES = {"reviewer": "信用办审核", "department": "认定部门", "applicant": "申请人", "filer": "申请人（绑定）"}
AGES = (("le1", "1天内", 1), ("le3", "2–3天", 3), ("le7", "4–7天", 7), ("le30", "8–30天", 30), ("gt30", "30天以上", None))


def now_section(session: Session, scope: Scope) -> Section:
    now, today = scope.now, to_local(scope.now).date()
    conditions = [HumanTask.state == "ready"]
    if scope.filters.department:
        conditions.append(HumanTask.department_code == scope.filters.department)
    age = _age(now).label("age")
    query = select(HumanTask.lane, age, func.count(),
                   func.count().filter(HumanTask.due_at < now),
                   func.count().filter(HumanTask.due_at >= _midnight(today), HumanTask.due_at < _midnight(today + timedelta(days=1))))
    if scope.filters.case_kind:
        query = query.join(Case, Case.id == HumanTask.case_id)
        conditions.append(Case.kind == scope.filters.case_kind)
    rows = session.execute(query.where(*conditions).group_by(HumanTask.lane, age)).all()
    ages: dict[str, Counter] = {}
    overdue, due_today = Counter(), Counter()
    for lane, age, count, late, today_count in rows:
        lane = lane or "—"
        ages.setdefault(lane, Counter())[age] += count
        overdue[lane] += late
        due_today[lane] += today_count
    lanes = sorted(ages, key=lambda lane: (lane not in LANES, list(LANES).index(lane) if lane in LANES else lane))
    table = Table("now_tasks", "待办任务（按泳道和已等待天数）",
                  ["泳道", *(label for _k, label, _d in AGES), "合计", "已超时", "今日到期"],
                  [[LANES.get(lane, lane), *(ages[lane][key] for key, _l, _d in AGES), sum(ages[lane].values()),
                    overdue[lane], due_today[lane]] for lane in lanes],
                  note=f"截至 {to_local(now):%Y-%m-%d %H:%M}。")
    figures = {"open": sum(sum(c.values()) for c in ages.values()), "overdue": sum(overdue.values()),
               "due_today": sum(due_today.values()),
               "by_lane": {lane: dict(ages[lane]) for lane in lanes}}
    chart = Chart("now_tasks", "stacked", "待办任务已等待天数", [LANES.get(lane, lane) for lane in lanes],
                  [(label, [ages[lane][key] for lane in lanes]) for key, label, _d in AGES], "now_tasks")
    return Section("now", "当前待办", figures, [table], [chart])


def _age(now: datetime):
    """The age bucket of a task by the time it has waited (created_at)."""
    whens = [(HumanTask.created_at >= now - timedelta(days=days), key) for key, _label, days in AGES if days]
    return case(*whens, else_="gt30")


def _midnight(day: date) -> datetime:
    return as_utc(datetime.combine(day, time(), LOCAL_TZ))
