"""Objection, commitment, interview and open-task statistics from cases run through the product
flows with a frozen clock (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.api_cases import (SUBJECT_A, case_of, commit, complete, open_task, start_interview,
                                     through_acceptance)
from tests.support.web import bearer, token_for
from workflows.people.access import Actor
from workflows.statistics.operations import read_section
from workflows.statistics.period import parse_scope

ADMIN = Actor("admin1", frozenset({"admin"}))
TOPICS = ["policy", "measures", "repair"]


def section(runtime, key: str, **query: str):
    return read_section(runtime.store, runtime.calendar.get(), ADMIN, key, parse_scope(query, runtime.clock.now()))


def object_to(client, record_id):
    body = {"kind": "objection", "subject_code": SUBJECT_A, "record_ids": [record_id],
            "form": {"target": "content", "claim": "罚款金额公示有误", "evidence": "处罚决定书原件"}}
    answer = client.post("/api/v1/cases", headers=bearer(token_for(client, "applicant1")), json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_objection_outcomes_suspension_and_deadlines(client, clock, runtime, make_record, staff):
    first, second = object_to(client, make_record("2026-05-10")), object_to(client, make_record("2026-05-11"))
    due = datetime.fromisoformat(open_task(first, "first_review")["due_at"])
    clock.set(due)  # accepted exactly at the due time: on time
    rev = token_for(client, "reviewer1")
    first = complete(client, rev, open_task(first, "first_review")["id"], first["version"], decision="accept").get_json()
    clock.set(due + timedelta(seconds=1))  # one second late
    second = complete(client, token_for(client, "reviewer1"), open_task(second, "first_review")["id"], second["version"],
                      decision="accept").get_json()
    later_due = datetime.fromisoformat(open_task(second, "verify")["due_at"])
    closing = later_due + timedelta(days=1)
    clock.set(closing)  # the first is verified late, the second stays open past its due time
    done = complete(client, token_for(client, "dept1"), open_task(first, "verify")["id"], first["version"],
                    outcome="revoke", reason="原处罚决定已被撤销").get_json()
    assert done["outcome"] == "revoked"

    f = section(runtime, "objection", period="year", year="2026").figures
    assert (f["filed"], f["revoked"], f["corrected"], f["upheld"], f["open"]) == (2, 1, 0, 0, 1)
    assert f["on_time"]["first_review"] == {"on_time": 1, "late": 1, "overdue": 0, "rate": 0.5}
    assert f["on_time"]["verify"] == {"on_time": 0, "late": 1, "overdue": 1, "rate": 0.0}
    # suspended on acceptance (10-08 and 10-09), the first until it closed, the second until today
    today = clock.now().date()
    span_first = (closing.date() - due.date()).days
    span_second = (today - (due + timedelta(seconds=1)).date()).days
    assert (f["suspended_cases"], f["suspension_days"]) == (2, span_first + span_second)


def test_commitment_fulfilment_rate_and_breaches(client, clock, runtime, world, staff):
    app1 = token_for(client, "applicant1")
    docs = [through_acceptance(client, commit(client, app1, kind, verify_on="2026-12-01").get_json())
            for kind in ("certification", "approval_substitute")]
    clock.set("2026-12-01T10:00:00+08:00")
    runtime.engine.fire_due_timers()
    dept = token_for(client, "dept1")
    kept, broken = (case_of(client, dept, doc["id"]) for doc in docs)
    assert complete(client, dept, open_task(kept, "verify")["id"], kept["version"], fulfilment="full").status_code == 200
    answer = complete(client, dept, open_task(broken, "verify")["id"], broken["version"], fulfilment="partial",
                      unfulfilled="未按期补齐")
    assert answer.status_code == 200, answer.get_json()

    f = section(runtime, "commitment", period="year", year="2026").figures
    assert f["made"] == 2 and f["verified"] == 2
    assert (f["fulfilment_full"], f["fulfilment_partial"], f["fulfilment_rate"]) == (1, 1, 0.5)
    page = section(runtime, "commitment", period="quarter", year="2026", quarter="3")
    types = {row[0]: row[-1] for row in page.table("commitment_types").rows}
    assert types["证明事项告知承诺型"] == 1 and types["审批替代型"] == 1
    assert page.figures["verified"] == 0  # verified in December, not in the third quarter


def test_interviews_held_attended_rectified_escalated(client, clock, runtime, make_record, staff):
    dept = token_for(client, "dept1")
    attended = start_interview(client, dept, [make_record("2026-05-10")]).get_json()
    absent = start_interview(client, dept, [make_record("2026-05-11")]).get_json()
    attended = complete(client, dept, open_task(attended, "conduct")["id"], attended["version"], attended=True,
                        topics_covered=TOPICS, rectification_plan="建立进货查验制度", rectification_due_days=10).get_json()
    complete(client, dept, open_task(absent, "conduct")["id"], absent["version"], attended=False,
             absence_justified=False, absence_note="经电话催告仍未到场")
    clock.set("2026-10-21T00:00:01+08:00")
    runtime.engine.fire_due_timers()
    dept = token_for(client, "dept1")
    doc = case_of(client, dept, attended["id"])
    assert complete(client, dept, open_task(doc, "follow_up")["id"], doc["version"], rectified=True,
                    note="已整改").get_json()["outcome"] == "rectified"

    f = section(runtime, "interview", period="year", year="2026").figures
    assert (f["started"], f["held"], f["attended"], f["rectified"], f["escalated"]) == (2, 2, 1, 1, 1)

    now = section(runtime, "now").figures  # the statement period ran out: the department decides on the list
    assert (now["open"], now["by_lane"]) == (1, {"department": {"le1": 1}})
