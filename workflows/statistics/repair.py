"""Credit repair: requests and outcomes, refusals at the door and why, handling time in working
days, the on-time rate of each deadline, and the repair rate of the records."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from workflows.core.calendar import WorkingCalendar
from workflows.core.models.cases import Case, CaseEvent, HumanTask
from workflows.core.models.records import CreditRecord
from workflows.records import PUBLIC_KINDS
from workflows.statistics import deadlines
from workflows.statistics.days import WorkingDays, as_day, day_of, weighted_percentile
from workflows.statistics.period import Scope
from workflows.statistics.scoping import cases_received, unindexed
from workflows.statistics.tables import Chart, Section, Table, percent, rate

KIND = "repair"
OUTCOMES = {"approved": "予以修复", "rejected": "不予修复", "not_accepted": "不予受理", "withdrawn": "撤回"}
DEADLINES = {"first_review": "本级审核", "department_decision": "认定部门决定", "result": "告知办理结果"}
DECIDED = ("approved", "rejected", "not_accepted")
REVIEW_TASKS = ("review", "first_review")


def repair_section(session: Session, scope: Scope, calendar: WorkingCalendar) -> Section:
    days = case_days(session, scope)
    counts = outcome_counts(days)
    tallies, reached = deadlines.task_tallies(session, scope, KIND)
    # accepted: reached the office's review, whose task is made on acceptance (one procedure each)
    accepted = sum(reached.get(task, 0) for task in REVIEW_TASKS)
    tallies["result"], late_results = result_tally(session, scope, reached.get("department_decision", 0))
    handling = handling_days(days, calendar)
    records = repair_rate(session, scope)
    figures = {"filed": sum(counts.values()), "accepted": accepted, "open": counts.get(None, 0),
               **{key: counts.get(key, 0) for key in OUTCOMES}, **handling, **records,
               "on_time": {key: {"on_time": t.on_time, "late": t.late, "overdue": t.overdue, "rate": t.rate}
                           for key, t in tallies.items()}}
    missed = deadlines.missed_tasks(session, scope, KIND, DEADLINES, tallies) + late_results
    trend = monthly(scope, days)
    refusals = refusal_reasons(session, scope)
    return Section(KIND, "信用修复", figures, [
        _summary_table(figures), _trend_table(scope, trend), _refusal_table(refusals),
        deadlines.on_time_table("repair_on_time", tallies, DEADLINES),
        deadlines.missed_table("repair_missed", sorted(missed, key=lambda m: m["due_at"])[:deadlines.MISSED_SHOWN]),
        _rate_table(figures)], _charts(scope, trend, figures, tallies))


class CaseDays(NamedTuple):
    received: date
    closed: date | None
    outcome: str | None
    status: str
    cases: int


def case_days(session: Session, scope: Scope) -> list[CaseDays]:
    """The period's cases by local day received and closed, outcome and state: one pass that
    the outcome counts, the monthly trend and the handling time are all folded from."""
    received, closed = day_of(Case.received_at), day_of(Case.closed_at)
    rows = session.execute(select(received, closed, Case.outcome, Case.status, func.count())
                           .where(*cases_received(scope, KIND)).group_by(received, closed, Case.outcome, Case.status))
    return [CaseDays(as_day(a), as_day(b), outcome, status, n) for a, b, outcome, status, n in rows]


def outcome_counts(days: list[CaseDays]) -> Counter:
    """outcome -> cases (None: still open)."""
    found: Counter = Counter()
    for row in days:
        found[None if row.status == "running" else row.outcome] += row.cases
    return found


def refusal_reasons(session: Session, scope: Scope) -> Counter:
    """Why requests were refused at the door (the eligibility verdicts of refused cases)."""
    rows = session.scalars(select(CaseEvent.after).join(Case, Case.id == CaseEvent.case_id).where(
        CaseEvent.kind == "eligibility_checked", Case.outcome == "not_accepted", *cases_received(scope, KIND)))
    found: Counter = Counter()
    for after in rows:
        verdicts = (after or {}).get("records") or []
        found.update({v.get("reason") or v.get("reason_code") or "其他" for v in verdicts if not v.get("eligible")})
    return found


def handling_days(days: list[CaseDays], calendar: WorkingCalendar) -> dict[str, float | None]:
    """Median and p90 working days from receipt to the decision, over decided cases."""
    pairs = [(row.received, row.closed, row.cases) for row in days
             if row.outcome in DECIDED and row.status == "completed"]
    ordinals = WorkingDays(calendar, [d for a, b, _n in pairs for d in (a, b)])
    values = [(ordinals.between(a, b), n) for a, b, n in pairs]
    return {"handling_median": weighted_percentile(values, 50), "handling_p90": weighted_percentile(values, 90),
            "decided": sum(n for _a, _b, n in pairs)}


def result_tally(session: Session, scope: Scope, forwarded_cases: int) -> tuple[deadlines.Tally, list[dict]]:
    """谁认定、谁修复: the result reaches the applicant by `result_due_at` (set on acceptance);
    only forwarded cases have it, so only theirs acceptance events are read — none when the
    task tallies found no case of the period at the department's decision."""
    if not forwarded_cases:
        return deadlines.Tally(), []
    due = CaseEvent.after["result_due_at"].as_string()
    forwarded = exists(select(HumanTask.case_id).where(HumanTask.case_id == Case.id,
                                                       HumanTask.bpmn_id == "department_decision"))
    rows = session.execute(select(Case.id, Case.title, Case.status, Case.closed_at, due).select_from(Case)
                           .join(CaseEvent, CaseEvent.case_id == Case.id)
                           .where(*cases_received(scope, KIND), forwarded, CaseEvent.kind == "accepted",
                                  due.is_not(None)))
    tally, late = deadlines.Tally(), []
    for case_id, title, status, closed_at, due_text in rows:
        due_at = datetime.fromisoformat(due_text)
        if status != "running" and closed_at <= due_at:
            tally.on_time += 1
            continue
        if status == "running" and scope.now <= due_at:
            continue  # not due yet
        if status == "running":
            tally.overdue += 1
        else:
            tally.late += 1
        late.append({"case_id": case_id, "title": title, "deadline": DEADLINES["result"], "due_at": due_at,
                     "done_at": closed_at if status != "running" else None})
    return tally, late


def repair_rate(session: Session, scope: Scope) -> dict[str, int | float | None]:
    """Records repaired in the period / records eligible for repair in it.

    Eligible: a dishonesty record that may be repaired, whose minimum publicity ended by the
    period's last day and that was still shown on its first day, not repaired before it.
    Repaired: such a record covered by a repair granted (case closed approved) in the period.
    A record's first grant is its `repaired_at` day (written by the repair's own step), so both
    counts are read from one index (ix_record_repair_rate) with no join to the cases.
    """
    period = scope.period
    not_before = CreditRecord.repaired_at.is_(None) | (CreditRecord.repaired_at >= period.start)
    granted = CreditRecord.repaired_at.between(period.start, period.end)
    eligible = repaired = 0
    # shown on the first day: two index ranges rather than one OR, which no index serves
    for shown in (CreditRecord.publicity_max_end >= period.start, CreditRecord.publicity_max_end.is_(None)):
        found, done = session.execute(select(func.count(), func.count().filter(granted))
                                      .where(*_eligible(scope), shown, not_before)).one()
        eligible, repaired = eligible + (found or 0), repaired + (done or 0)
    return {"records_eligible": eligible, "records_repaired": repaired, "repair_rate": rate(repaired, eligible)}


def _eligible(scope: Scope) -> list:
    period = scope.period
    found = [CreditRecord.kind.in_(PUBLIC_KINDS), CreditRecord.non_repairable.is_(False),
             CreditRecord.category_non_repairable.is_(False), CreditRecord.publicity_min_end <= period.end,
             CreditRecord.publicity_start <= period.end]
    if scope.filters.department:  # read from the rate's index: SQLite took ix_record_dept_date and the table
        found.append(unindexed(CreditRecord.department_code) == scope.filters.department)
    if scope.filters.regime:
        found.append(CreditRecord.regime == scope.filters.regime)
    return found


def monthly(scope: Scope, days: list[CaseDays]) -> dict[tuple[int, int], Counter]:
    """(year, month) -> outcome counts of the cases received that month."""
    found: dict[tuple[int, int], Counter] = {month: Counter() for month in scope.period.months()}
    for row in days:
        bucket = found.setdefault((row.received.year, row.received.month), Counter())
        bucket["filed"] += row.cases
        bucket["open" if row.status == "running" else row.outcome] += row.cases
    return found


def _summary_table(f: dict) -> Table:
    rows = [["申请", f["filed"]], ["受理", f["accepted"]], ["不予受理", f["not_accepted"]], ["予以修复", f["approved"]],
            ["不予修复", f["rejected"]], ["撤回", f["withdrawn"]], ["办理中", f["open"]],
            ["办理用时中位数（工作日）", _days(f["handling_median"])], ["办理用时P90（工作日）", _days(f["handling_p90"])]]
    return Table("repair_summary", "信用修复办理情况", ["项目", "数量"], rows,
                 note="办理用时按工作日计算：受理当日不计，节假日和调休按工作日历。")


def _trend_table(scope: Scope, trend: dict) -> Table:
    rows = [[f"{y}年{m}月", c["filed"], c["approved"], c["rejected"], c["not_accepted"], c["withdrawn"], c["open"]]
            for (y, m), c in trend.items()]
    return Table("repair_trend", "按月申请及办理结果", ["月份", "申请", "予以修复", "不予修复", "不予受理", "撤回", "办理中"], rows)


def _refusal_table(reasons: Counter) -> Table:
    return Table("repair_refusals", "不予受理原因", ["原因", "件数"], [[r, n] for r, n in reasons.most_common()],
                 note="一件申请涉及多条记录、多个原因的，各原因分别计数。")


def _rate_table(f: dict) -> Table:
    return Table("repair_rate", "信用修复率", ["可修复记录", "已修复记录", "修复率"],
                 [[f["records_eligible"], f["records_repaired"], percent(f["repair_rate"])]],
                 note="可修复记录：最短公示期已届满、期间内仍在公示、依规可以修复的失信记录；已修复：期间内经信用修复决定终止公示的记录。")


def _charts(scope: Scope, trend: dict, f: dict, tallies: dict) -> list[Chart]:
    months = [f"{m}月" if scope.period.kind != "custom" else f"{y}-{m:02d}" for y, m in trend]
    return [
        Chart("repair_trend", "line", "按月申请及办理结果", months,
              [("申请", [c["filed"] for c in trend.values()]), ("予以修复", [c["approved"] for c in trend.values()]),
               ("不予修复", [c["rejected"] for c in trend.values()])], "repair_trend"),
        Chart("repair_outcomes", "pie", "办理结果构成", list(OUTCOMES.values()) + ["办理中"],
              [("件数", [f[key] for key in OUTCOMES] + [f["open"]])], "repair_summary"),
        Chart("repair_on_time", "bar", "各时限按时率", [DEADLINES[k] for k in tallies],
              [("按时率", [t.rate for t in tallies.values()])], "repair_on_time", percent=True),
    ]


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
