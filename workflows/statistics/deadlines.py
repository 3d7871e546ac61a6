"""On-time rates of the procedural deadlines, read from the task projection.

A task is on time when it was completed no later than its due time (equal counts as on time:
the due time is the last second of the last day); it missed when completed later, or when it
is still open after its due time. Open tasks not yet due and cancelled tasks (a withdrawal, an
objection's pause that restarts the clock) are not judged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from workflows.core.clock import to_local
from workflows.core.models.cases import Case, HumanTask
from workflows.statistics.period import Scope
from workflows.statistics.scoping import DEADLINE_TASKS, case_link, cases_received, missed
from workflows.statistics.tables import Table, percent, rate

MISSED_SHOWN = 50


@dataclass
class Tally:
    on_time: int = 0
    late: int = 0  # done after the due time
    overdue: int = 0  # still open after it

    @property
    def judged(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return rate(self.on_time, self.judged)


def task_tallies(session: Session, scope: Scope, kind: str) -> tuple[dict[str, Tally], dict[str, int]]:
    """deadline -> tally, for the tasks of the cases received in the period; and, in the same
    pass, bpmn_id -> how many of those cases reached the task at all (in any state)."""
    names = _task_names(kind)
    judged = and_(HumanTask.due_at.is_not(None), HumanTask.state.in_(("completed", "ready")))
    on_time = and_(judged, HumanTask.state == "completed", HumanTask.completed_at <= HumanTask.due_at)
    late = and_(judged, HumanTask.state == "completed", HumanTask.completed_at > HumanTask.due_at)
    overdue = and_(judged, HumanTask.state == "ready", HumanTask.due_at < scope.now)
    rows = session.execute(
        select(HumanTask.bpmn_id, func.count(func.distinct(HumanTask.case_id)), func.count().filter(on_time),
               func.count().filter(late), func.count().filter(overdue))
        .where(*tasks_of_cases_received(scope, kind), HumanTask.bpmn_id.in_(names)).group_by(HumanTask.bpmn_id))
    tallies = {deadline: Tally() for deadline in dict.fromkeys(names.values())}
    reached: dict[str, int] = {}
    for bpmn_id, cases, in_time, done_late, still_open in rows:
        tally = tallies[names[bpmn_id]]
        tally.on_time, tally.late, tally.overdue = (tally.on_time + in_time, tally.late + done_late,
                                                    tally.overdue + still_open)
        reached[bpmn_id] = cases
    return tallies, reached


def missed_tasks(session: Session, scope: Scope, kind: str, titles: dict[str, str],
                 tallies: dict[str, Tally]) -> list[dict]:
    """The tasks that missed their due time, earliest due first (capped for the page); none
    to look for when the tallies found none.

    Every due time is counted forward from the case's receipt or a later step, so no task of a
    case received in the period fell due before it: saying so lets PostgreSQL sort only the
    tasks due since, where it otherwise walked every task in due order to the period's first."""
    if not any(t.late or t.overdue for key, t in tallies.items() if key in titles and key != "result"):
        return []
    names = _task_names(kind)
    rows = session.execute(
        select(HumanTask.case_id, HumanTask.bpmn_id, HumanTask.due_at, HumanTask.completed_at, HumanTask.state)
        .where(*tasks_of_cases_received(scope, kind), HumanTask.bpmn_id.in_(names),
               HumanTask.due_at >= scope.period.utc_start, missed(scope.now))
        .order_by(HumanTask.due_at, HumanTask.case_id).limit(MISSED_SHOWN)).all()
    case_titles = dict(session.execute(select(Case.id, Case.title).where(Case.id.in_({r.case_id for r in rows}))).all())
    return [{"case_id": r.case_id, "title": case_titles[r.case_id], "deadline": titles[names[r.bpmn_id]],
             "due_at": r.due_at, "done_at": r.completed_at if r.state == "completed" else None} for r in rows]


def tasks_of_cases_received(scope: Scope, kind: str) -> list[ColumnElement[bool]]:
    """The tasks of the cases `cases_received` chooses, read from the task's copy of its case's
    kind and receipt (ix_human_task_received); a department or regime filter chooses the cases
    from ix_case_statistics first."""
    found = [HumanTask.case_kind == kind, HumanTask.case_received_at >= scope.period.utc_start,
             HumanTask.case_received_at < scope.period.utc_end]
    if scope.filters.department or scope.filters.regime:
        found.append(HumanTask.case_id.in_(select(Case.id).where(*cases_received(scope, kind))))
    return found


def _task_names(kind: str) -> dict[str, str]:
    """bpmn_id -> the deadline its due time is, for the user tasks of `kind`."""
    return {bpmn_id: deadline for (k, deadline), ids in DEADLINE_TASKS.items() if k == kind for bpmn_id in ids}


def on_time_table(key: str, tallies: dict[str, Tally], titles: dict[str, str]) -> Table:
    return Table(key, "办理时限执行情况", ["时限", "按时", "超时办结", "超时未办", "按时率"],
                 [[titles[d], t.on_time, t.late, t.overdue, percent(t.rate)] for d, t in tallies.items()],
                 note="按时：在时限届满前（含届满时刻）办结；尚未到期的待办不计。")


def missed_table(key: str, items: list[dict]) -> Table:
    rows = [[item["case_id"], item["title"], item["deadline"], _local(item["due_at"]), _local(item["done_at"]) or "未办结"]
            for item in items]
    return Table(key, "超时案件", ["案件编号", "案件", "时限", "届满时间", "办结时间"], rows,
                 links=[case_link(item["case_id"]) for item in items],
                 note=f"最多列出{MISSED_SHOWN}件，按届满时间排序。")


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else f"{to_local(moment):%Y-%m-%d %H:%M}"
