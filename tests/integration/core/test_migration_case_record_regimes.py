"""Migration 0031c: cases linked to records before it get their records' regimes; the statistics'
regime filter read from the case then selects the cases the join over their records selected."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import exists, func, select, text

from tests.support.migration_rows import CASE, RECORD, SUBJECT, seed_subject_and_spec
from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.models.cases import Case
from workflows.core.models.records import CaseRecord, CreditRecord
from workflows.core.store import Store
from workflows.statistics.period import REGIMES, parse_scope
from workflows.statistics.scoping import cases_received

NOW = datetime(2027, 1, 15, 2, 0, tzinfo=timezone.utc)
RECEIVED = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
RECORDS = {1: "order36", 2: "gb22", 3: "order58", 4: "gb22", 5: "527"}
CASES = {  # case id -> (kind, record ids)
    1: ("repair", [1]), 2: ("repair", [2, 3]), 3: ("repair", [4, 2]), 4: ("objection", [5]),
    5: ("repair", []),  # refused before any record was linked
}


def _seed(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        seed_subject_and_spec(conn, NOW)
        for rid, regime in RECORDS.items():
            conn.execute(text(RECORD), {"id": rid, "code": SUBJECT, "no": f"泉市监罚〔2025〕{rid}号", "dept": "QZ-SCJG",
                                        "regime": regime, "non_repairable": False, "max_end": None, "now": NOW})
        for cid, (kind, records) in CASES.items():
            conn.execute(text(CASE), {"id": cid, "kind": kind, "status": "running", "outcome": None, "code": SUBJECT,
                                      "received": RECEIVED, "closed": None})
            for rid in records:
                conn.execute(text("INSERT INTO case_record (case_id, record_id) VALUES (:c, :r)"), {"c": cid, "r": rid})
    engine.dispose()


def test_backfill_writes_each_cases_regimes_and_the_filter_selects_the_same_cases(empty_db_url):
    upgrade(empty_db_url, "0030f")  # the revision before 0031c
    _seed(empty_db_url)
    upgrade(empty_db_url)
    store = Store(make_engine(empty_db_url))
    with store.read() as session:
        found = dict(session.execute(select(Case.id, Case.record_regimes)).all())
        assert found == {1: " order36 ", 2: " gb22 order58 ", 3: " gb22 ", 4: " 527 ", 5: ""}
        for kind in ("repair", "objection"):
            for regime in REGIMES:
                scope = parse_scope({"period": "year", "year": "2026", "regime": regime}, NOW)
                by_case = set(session.scalars(select(Case.id).where(*cases_received(scope, kind))))
                joined = exists(select(CaseRecord.case_id).join(CreditRecord, CreditRecord.id == CaseRecord.record_id)
                                .where(CaseRecord.case_id == Case.id, CreditRecord.regime == regime))
                by_join = set(session.scalars(select(Case.id).where(Case.kind == kind, joined)))
                assert by_case == by_join, (kind, regime)
        assert session.scalar(select(func.count()).select_from(Case).where(Case.record_regimes == "")) == 1
