"""Migration 0027r: records repaired before it get the local day their first approved repair case
closed; the repair rate read from that day gives the figures the join over the cases gave."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import case, func, select, text

from tests.support.migration_rows import CASE, RECORD, SUBJECT, seed_subject_and_spec
from workflows.core.clock import to_local
from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.models.cases import Case
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.core.store import Store
from workflows.statistics.period import parse_scope
from workflows.statistics.repair import _eligible, repair_rate
from workflows.statistics.tables import rate

NOW = datetime(2027, 1, 15, 2, 0, tzinfo=timezone.utc)
def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(timezone.utc)


# record id -> (department, regime, non-repairable, maximum publicity end)
RECORDS = {1: ("QZ-SCJG", "order36", False, "2028-01-10"), 2: ("QZ-SCJG", "order36", False, "2028-01-10"),
           3: ("QZ-SCJG", "order36", False, "2028-01-10"), 4: ("QZ-SCJG", "order36", False, "2028-01-10"),
           5: ("QZ-SCJG", "gb22", False, "2028-01-10"), 6: ("QZ-SCJG", "gb22", False, "2028-01-10"),
           7: ("QZ-SCJG", "order36", False, "2028-01-10"), 8: ("QZ-STHJ", "gb22", False, "2028-01-10"),
           9: ("QZ-SCJG", "order36", True, "2028-01-10"), 10: ("QZ-SCJG", "order36", False, "2025-12-31"),
           11: ("QZ-STHJ", "order36", False, None)}
# case id -> (kind, status, outcome, closed at, record ids)
CASES = {
    1: ("repair", "completed", "approved", utc("2026-04-01T00:30:00+08:00"), [1]),  # 03-31 in UTC: Q2 locally
    2: ("repair", "completed", "rejected", utc("2026-05-01T10:00:00+08:00"), [2]),
    3: ("repair", "completed", "approved", utc("2025-06-01T10:00:00+08:00"), [3]),
    4: ("repair", "completed", "approved", utc("2026-12-31T23:59:59+08:00"), [5, 6]),  # one case, two records
    5: ("repair", "running", None, None, [7]),
    6: ("repair", "completed", "approved", utc("2026-07-01T10:00:00+08:00"), [8]),
    7: ("repair", "completed", "approved", utc("2026-02-01T10:00:00+08:00"), [9]),  # not repairable: never counted
    8: ("repair", "completed", "approved", utc("2025-03-01T10:00:00+08:00"), [10]),  # no longer shown in 2026
    9: ("objection", "completed", "revoke", utc("2026-03-01T10:00:00+08:00"), [4]),
    10: ("repair", "completed", "withdrawn", utc("2026-03-02T10:00:00+08:00"), [4]),
    11: ("repair", "completed", "approved", utc("2026-08-08T10:00:00+08:00"), [11]),  # publicity without maximum
}
PERIODS = [{"period": "year", "year": "2025"}, {"period": "year", "year": "2026"},
           *({"period": "quarter", "year": "2026", "quarter": str(q)} for q in (1, 2, 3, 4)),
           {"period": "month", "year": "2026", "month": "4"},
           {"period": "custom", "start": "2025-06-01", "end": "2026-04-01"},
           {"period": "year", "year": "2026", "department": "QZ-STHJ"},
           {"period": "year", "year": "2026", "regime": "gb22"}]


def _seed(url: str, cases: dict) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        seed_subject_and_spec(conn, NOW)
        for rid, (dept, regime, barred, max_end) in RECORDS.items():
            conn.execute(text(RECORD), {"id": rid, "code": SUBJECT, "no": f"泉市监罚〔2025〕{rid}号", "dept": dept,
                                        "regime": regime, "non_repairable": barred,
                                        "max_end": date.fromisoformat(max_end) if max_end else None, "now": NOW})
        for cid, (kind, status, outcome, closed, records) in cases.items():
            conn.execute(text(CASE), {"id": cid, "kind": kind, "status": status, "outcome": outcome, "code": SUBJECT,
                                      "received": utc("2025-01-02T10:00:00+08:00"), "closed": closed})
            for rid in records:
                conn.execute(text("INSERT INTO case_record (case_id, record_id) VALUES (:c, :r)"), {"c": cid, "r": rid})
    engine.dispose()


def _joined_rate(session, scope) -> dict:
    """The repair rate as it was computed before 0027r: records joined to their approved cases."""
    period, record = scope.period, CaseRecord.record_id
    shown = (CreditRecord.publicity_max_end >= period.start) | CreditRecord.publicity_max_end.is_(None)
    candidates = session.scalar(select(func.count()).select_from(CreditRecord).where(*_eligible(scope), shown))
    earlier = Case.closed_at < period.utc_start
    before, during = session.execute(
        select(func.count(func.distinct(case((earlier, record)))), func.count(func.distinct(case((~earlier, record)))))
        .select_from(Case).join(CaseRecord, CaseRecord.case_id == Case.id)
        .join(CreditRecord, CreditRecord.id == CaseRecord.record_id)
        .where(Case.kind == "repair", Case.outcome == "approved", Case.closed_at < period.utc_end, *_eligible(scope),
               shown)).one()
    eligible = candidates - before
    return {"records_eligible": eligible, "records_repaired": during,
            "repair_rate": rate(during, eligible)}


def _migrated(url: str, cases: dict) -> Store:
    upgrade(url, "0026t")  # the revision before 0027r
    _seed(url, cases)
    upgrade(url)
    return Store(make_engine(url))


def test_backfill_sets_the_first_grant_day_and_figures_stay(empty_db_url):
    store = _migrated(empty_db_url, CASES)
    with store.read() as session:
        days = dict(session.execute(select(CreditRecord.id, CreditRecord.repaired_at)).all())
        assert days == {1: date(2026, 4, 1), 2: None, 3: date(2025, 6, 1), 4: None, 5: date(2026, 12, 31),
                        6: date(2026, 12, 31), 7: None, 8: date(2026, 7, 1), 9: date(2026, 2, 1),
                        10: date(2025, 3, 1), 11: date(2026, 8, 8)}
        for query in PERIODS:
            scope = parse_scope(query, NOW)
            assert repair_rate(session, scope) == _joined_rate(session, scope), query
        year = repair_rate(session, parse_scope({"period": "year", "year": "2026"}, NOW))
        # 1, 2, 4, 5, 6, 7, 8, 11 eligible (3 and 10 repaired in 2025, 9 not repairable); 1, 5, 6, 8, 11 repaired
        assert (year["records_eligible"], year["records_repaired"]) == (8, 5)
    store.engine.dispose()


@pytest.mark.parametrize("second", [utc("2026-02-01T10:00:00+08:00"), utc("2025-01-05T10:00:00+08:00")])
def test_a_record_granted_twice_keeps_its_first_day(empty_db_url, second):
    """A repair undone (its commitment broken) and granted again: the record was repaired on the
    first day, so a later period neither counts it eligible nor repaired (repair_rate's rule)."""
    store = _migrated(empty_db_url, {**CASES, 12: ("repair", "completed", "approved", second, [3])})
    with store.read() as session:
        first = min(second, CASES[3][3])
        assert session.get(CreditRecord, 3).repaired_at == to_local(first).date()
        year = repair_rate(session, parse_scope({"period": "year", "year": "2026"}, NOW))
    assert (year["records_eligible"], year["records_repaired"]) == (8, 5)
    store.engine.dispose()
