"""Credit records as the records service takes them, and a bare case to link them to."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from workflows import records
from workflows.core.models.cases import Case, SpecSet
from workflows.core.models.people import Department
from workflows.core.models.records import CreditRecord
from workflows.people.subjects import register_department

from .subjects import COMPANY, PERSON

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def record_data(**changes) -> dict:
    data = {
        "subject_code": COMPANY, "subject_name": "泉州市清源食品有限公司", "kind": "penalty",
        "severity": "general", "decision_no": "泉市监罚〔2026〕12号", "decision_date": "2026-05-10",
        "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
        "facts": "生产经营标签不符合规定的预包装食品", "basis": "《中华人民共和国食品安全法》第一百二十五条",
        "content": "罚款人民币二万元", "fine_amount": "20000",
        "measures": [{"name": "限制参加政府采购", "basis": "联合惩戒备忘录"},
                     {"name": "列为重点监管对象", "implementing_department": "泉州市市场监督管理局"}],
    }
    data.update(changes)
    return data


def create(store, rules, clock, **changes) -> int:
    """A record by dept1; its department is registered first, as records require."""
    data = record_data(**changes)
    with store.write() as uow:
        if data["department_code"] and uow.session.get(Department, data["department_code"]) is None:
            register_department(uow.session, data["department_code"], data["department_name"] or "测试部门")
            uow.session.flush()
        record = records.create_record(uow.session, rules, data, "dept1", clock.now())
        uow.commit()
        return record.id


def make_case(store, clock, kind: str = "objection") -> int:
    with store.write() as uow:
        if uow.session.get(SpecSet, "0" * 64) is None:
            uow.session.add(SpecSet(id="0" * 64, files={}, created_at=clock.now()))
            uow.session.flush()
        case = Case(kind=kind, status="running", subject_code=COMPANY, spec_set_id="0" * 64,
                    serializer_version="1.5", workflow_json="{}", received_at=clock.now(),
                    created_by="test", created_at=clock.now(), updated_at=clock.now())
        uow.session.add(case)
        uow.commit()
        return case.id


__all__ = ["BPMN_DIR", "COMPANY", "PERSON", "create", "make_case", "record_data", "stored"]


def stored(store) -> int:
    """How many credit records are stored."""
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(CreditRecord))
