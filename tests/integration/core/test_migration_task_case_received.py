"""Migration 0032t: tasks made before it get their case's kind and receipt, and the on-time
counts read from the tasks alone equal the counts joined through the cases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, select, text

from tests.support.migration_rows import CASE, SUBJECT, seed_subject_and_spec
from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.models.cases import Case, HumanTask
from workflows.core.store import Store
from workflows.statistics.deadlines import task_tallies
from workflows.statistics.period import parse_scope

NOW = datetime(2027, 1, 15, 2, 0, tzinfo=timezone.utc)
TASK = ("INSERT INTO human_task (id, case_id, bpmn_id, name, lane, due_at, overdue, state, created_at, completed_at) "
        "VALUES (:id, :case, :bpmn, 't', 'reviewer', :due, false, :state, :received, :done)")
# case id -> (kind, received (local), [(bpmn_id, hours to due, hours to done or None)])
CASES = {
    1: ("repair", "2026-03-02T10:00:00+08:00", [("review", 24, 2), ("department_decision", 72, 80)]),
    2: ("repair", "2025-12-31T23:30:00+08:00", [("review", 24, None)]),  # 2025 locally, on 12-31 in UTC too
    3: ("repair", "2026-01-01T00:30:00+08:00", [("review", 24, 30)]),  # 2026 locally, 2025 in UTC
    4: ("objection", "2026-05-02T10:00:00+08:00", [("first_review", 24, 1), ("verify", 240, None)]),
}


def _seed(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        seed_subject_and_spec(conn, NOW)
        for cid, (kind, received, tasks) in CASES.items():
            at = datetime.fromisoformat(received).astimezone(timezone.utc)
            conn.execute(text(CASE), {"id": cid, "kind": kind, "status": "running", "outcome": None, "code": SUBJECT,
                                      "received": at, "closed": None})
            for n, (bpmn, due, done) in enumerate(tasks):
                conn.execute(text(TASK), {"id": f"t{cid}-{n}", "case": cid, "bpmn": bpmn, "due": at + timedelta(hours=due),
                                          "state": "ready" if done is None else "completed", "received": at,
                                          "done": None if done is None else at + timedelta(hours=done)})
    engine.dispose()


def _joined_tallies(session, scope, kind) -> dict:
    """Tallies as counted before 0032t: each case received in the period joined to its tasks."""
    period = scope.period
    rows = session.execute(
        select(HumanTask.bpmn_id, func.count(),
               func.count().filter(and_(HumanTask.state == "completed", HumanTask.completed_at <= HumanTask.due_at)))
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.kind == kind, Case.received_at >= period.utc_start, Case.received_at < period.utc_end)
        .group_by(HumanTask.bpmn_id))
    return {bpmn: (count, on_time) for bpmn, count, on_time in rows}


def test_backfill_copies_kind_and_receipt_and_the_counts_stay(empty_db_url):
    upgrade(empty_db_url, "0031c")  # the revision before 0032t
    _seed(empty_db_url)
    upgrade(empty_db_url)
    store = Store(make_engine(empty_db_url))
    with store.read() as session:
        copied = {row.id: (row.case_kind, row.case_received_at) for row in session.scalars(select(HumanTask))}
        cases = {c.id: (c.kind, c.received_at) for c in session.scalars(select(Case))}
        assert copied and all(value == cases[int(key[1:].split("-")[0])] for key, value in copied.items())
        for query in ({"period": "year", "year": "2025"}, {"period": "year", "year": "2026"},
                      {"period": "quarter", "year": "2026", "quarter": "1"}):
            scope = parse_scope(query, NOW)
            for kind in ("repair", "objection"):
                tallies, reached = task_tallies(session, scope, kind)
                joined = _joined_tallies(session, scope, kind)
                assert reached == {bpmn: count for bpmn, (count, _on_time) in joined.items()}, (query, kind)
                assert sum(t.on_time for t in tallies.values()) == sum(v for _c, v in joined.values()), (query, kind)
        # case 3 was received on 2026-01-01 locally: it counts in 2026, not in 2025
        _tallies, reached = task_tallies(session, parse_scope({"period": "year", "year": "2026"}, NOW), "repair")
        assert reached == {"review": 2, "department_decision": 1}
