"""Migration 0019i: refusals recorded before the justified/unjustified finding keep barring repair,
for the shipped 12 months from their date; other records get no bar."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select, text

from workflows.core.db import make_engine
from workflows.core.migrate import upgrade
from workflows.core.models.records import CreditRecord
from workflows.core.store import Store

NOW = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)
ROW = ("INSERT INTO credit_record (subject_code, subject_name, kind, severity, category, sector, non_repairable, "
       "decision_no, decision_date, department_code, department_name, facts, basis, content, regime, "
       "publicity_status, source, created_by, created_at, updated_at) VALUES (:code, '泉州市清源食品有限公司', :kind, "
       "'minor', :category, '', false, :no, :day, 'QZ-SCJG', '泉州市市场监督管理局', '', '', '', 'order36', "
       "'not_published', 'system', 'dept1', :now, :now)")


def test_old_refusals_get_the_default_bar(empty_db_url):
    url = empty_db_url
    upgrade(url, "0018r")  # the revision before 0019i
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO subject (code, name, category, created_at) "
                          "VALUES ('91350100M000100Y43', '泉州市清源食品有限公司', 'legal_person', :now)"), {"now": NOW})
        for kind, category, no, day in (("interview_record", "refused", "泉市监约记〔2026〕1号", date(2026, 8, 31)),
                                        ("interview_record", "interview", "泉市监约记〔2026〕2号", date(2026, 9, 1))):
            conn.execute(text(ROW), {"code": "91350100M000100Y43", "kind": kind, "category": category, "no": no,
                                     "day": day, "now": NOW})
    engine.dispose()
    upgrade(url)
    store = Store(make_engine(url))
    with store.read() as session:
        bars = dict(session.execute(select(CreditRecord.category, CreditRecord.bars_repair_until)).all())
    assert bars == {"refused": date(2027, 8, 31), "interview": None}
    store.engine.dispose()
