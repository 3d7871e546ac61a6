"""Repair statistics from cases run through the product flows with a frozen clock, on SQLite
and PostgreSQL: counts, refusals and why, on-time counts exactly at the boundary, handling time
in working days, the repair rate."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.api_cases import complete, department_decides, file_request, open_task
from tests.support.web import token_for
from workflows.statistics.operations import read_section
from workflows.statistics.period import parse_scope
from workflows.people.access import Actor

ADMIN = Actor("admin1", frozenset({"admin"}))


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def forward_at(client, clock, doc, moment: datetime) -> dict:
    clock.set(moment)
    rev = token_for(client, "reviewer1")
    answer = complete(client, rev, open_task(doc, "first_review")["id"], doc["version"], decision="forward")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def decide_at(client, clock, doc, moment: datetime, decision: str, **data) -> dict:
    clock.set(moment)
    answer = department_decides(client, doc, decision, token=token_for(client, "dept1"), **data)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def section(runtime, key: str, **query: str):
    scope = parse_scope(query, runtime.clock.now())
    return read_section(runtime.store, runtime.calendar.get(), ADMIN, key, scope)


def test_repair_counts_deadlines_and_rate(client, clock, runtime, make_record, staff):
    filed_at = clock.now()
    a, b, c, d = (make_record(day) for day in ("2026-05-10", "2026-05-11", "2026-07-01", "2026-05-12"))
    app1 = token_for(client, "applicant1")
    docs = [file_request(client, app1, [rid]).get_json() for rid in (a, b, c, d)]
    assert docs[2]["outcome"] == "not_accepted"  # minimum publicity not over (Order 36: 3 months)
    first_due = at(open_task(docs[0], "first_review")["due_at"])  # 2026-10-08 23:59:59 +08:00
    doc_a = forward_at(client, clock, docs[0], first_due)  # exactly at the due time: on time
    dept_due = at(open_task(doc_a, "department_decision")["due_at"])
    decide_at(client, clock, doc_a, dept_due + timedelta(seconds=1), "approve")  # one second late
    doc_b = forward_at(client, clock, docs[1], first_due + timedelta(seconds=1))  # one second late
    decide_at(client, clock, doc_b, clock.now(), "reject", reason="整改材料不实")  # at once: on time
    # case d is left at the office's review: past its due time, it is overdue and open
    clock.set(dept_due + timedelta(days=1))

    f = section(runtime, "repair", period="year", year="2026").figures
    assert (f["filed"], f["accepted"], f["not_accepted"], f["approved"], f["rejected"], f["withdrawn"], f["open"]) == \
        (4, 3, 1, 1, 1, 0, 1)
    assert f["on_time"]["first_review"] == {"on_time": 1, "late": 1, "overdue": 1, "rate": round(1 / 3, 4)}
    assert f["on_time"]["department_decision"] == {"on_time": 1, "late": 1, "overdue": 0, "rate": 0.5}
    assert f["on_time"]["result"]["on_time"] == 2 and f["on_time"]["result"]["late"] == 0
    calendar = runtime.calendar.get()
    received = filed_at.date()
    days_a = _working_days(calendar, received, (dept_due + timedelta(seconds=1)).date())
    days_b = _working_days(calendar, received, (first_due + timedelta(seconds=1)).date())
    days_c = 0  # refused on the day received
    assert sorted([days_a, days_b, days_c])[1] == f["handling_median"]
    assert f["handling_p90"] == max(days_a, days_b, days_c)
    # a, b, c (its minimum period ends 10-01), d are eligible in 2026; only a was repaired
    assert (f["records_eligible"], f["records_repaired"], f["repair_rate"]) == (4, 1, 0.25)

    page = section(runtime, "repair", period="year", year="2026")
    refusals = page.table("repair_refusals").rows
    assert refusals == [["最短公示期尚未届满", 1]]
    missed = page.table("repair_missed")
    assert {row[0] for row in missed.rows} == {docs[0]["id"], docs[1]["id"], docs[3]["id"]}
    assert all(link == f"/desk/cases/{row[0]}" for row, link in zip(missed.rows, missed.links))

    # the third quarter holds the filing day (09-30); the repair decided in October is not in its rate
    q3 = section(runtime, "repair", period="quarter", year="2026", quarter="3").figures
    assert q3["filed"] == 4 and q3["records_repaired"] == 0
    q4 = section(runtime, "repair", period="quarter", year="2026", quarter="4").figures
    assert q4["filed"] == 0 and q4["records_repaired"] == 1

    # now: case d's review has waited since 09-30 (8–30 days) and is overdue
    now = section(runtime, "now").figures
    assert (now["open"], now["overdue"], now["due_today"], now["by_lane"]) == (1, 1, 0, {"reviewer": {"le30": 1}})


def _working_days(calendar, start, end) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
