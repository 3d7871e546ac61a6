"""Early warnings: the thresholds table, subjects and records inserted in bulk, a warning's id."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from pathlib import Path

from sqlalchemy import insert, select
from stdnum.cn import uscc

from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord
from workflows.core.models.warnings import EarlyWarning

RULES_FILE = Path(__file__).resolve().parents[2] / "bpmn" / "rules" / "warning_thresholds.dmn"
TODAY = date(2026, 9, 30)  # the `clock` fixture's local date
_serial = count(1)


def company(n: int) -> str:
    body = f"91350200MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def add_subjects(store, now, *numbers: int) -> list[str]:
    codes = [company(n) for n in numbers]
    with store.write() as uow:
        uow.session.execute(insert(Subject), [{"code": c, "name": f"测试企业{n}有限公司", "category": "legal_person",
                                               "created_at": now} for c, n in zip(codes, numbers)])
        uow.commit()
    return codes


def add_records(store, now, subject: str, n: int = 1, *, kind: str = "penalty", days_ago: int = 10,
                department: str = "XM-SCJG", status: str = "public") -> list[int]:
    """`n` records in one bulk insert; returns their ids in insertion order."""
    day = TODAY - timedelta(days=days_ago)
    rows = [{"subject_code": subject, "subject_name": "测试企业", "kind": kind, "severity": "general",
             "decision_no": f"厦罚〔2026〕{next(_serial)}号", "decision_date": day, "department_code": department,
             "department_name": f"部门{department}", "regime": "gb22", "publicity_status": status,
             "created_by": "test", "created_at": now, "updated_at": now} for _ in range(n)]
    with store.write() as uow:
        ids = uow.session.scalars(insert(CreditRecord).returning(CreditRecord.id, sort_by_parameter_order=True),
                                  rows).all()
        uow.commit()
    return list(ids)


def warning_id(store, subject: str) -> int:
    with store.read() as session:
        return session.scalars(select(EarlyWarning.id).where(EarlyWarning.subject_code == subject)).one()
