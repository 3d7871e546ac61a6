"""The portal's own world: one department, two subjects (one a 普通合伙, so names are checked as
registered), an applicant for each, a reviewer; records made through the records service.

test_portal_commitment.py uses the product flows' `world` and `make_record` of tests/web/conftest.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.portal import NAMES, SUBJECT_A, SUBJECT_B
from tests.support.web import PASSWORD
from workflows.core.config import PROJECT_ROOT
from workflows.engine.rules import RuleBook
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user
from workflows.records import create_record


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def portal_world(store, clock):
    """A department, two subjects, an applicant for each, a reviewer."""
    with store.write() as uow:
        session = uow.session
        register_department(session, "QZ-SCJG", "泉州市市场监督管理局")
        for code, name in NAMES.items():
            register_subject(session, code, name, clock.now())
        session.flush()
        for name, roles, extra in (("applicant1", ["applicant"], {"subject_code": SUBJECT_A}),
                                   ("applicant2", ["applicant"], {"subject_code": SUBJECT_B}),
                                   ("reviewer1", ["reviewer"], {})):
            create_user(session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()


@pytest.fixture
def make_portal_record(store, clock, portal_world):
    """A penalty record decided on `decided` (ISO date), created by the records service."""
    rules = RuleBook.from_directory(PROJECT_ROOT / "bpmn")

    def make(decided: str, severity: str = "general", subject: str = SUBJECT_A) -> int:
        with store.write() as uow:
            record = create_record(uow.session, rules, {
                "subject_code": subject, "subject_name": NAMES[subject], "kind": "penalty",
                "severity": severity, "decision_no": f"泉市监罚〔{decided[:4]}〕{decided[5:7]}{decided[8:]}号",
                "decision_date": decided, "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
                "facts": "销售不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百二十四条",
                "content": "罚款人民币二万元", "measures": [{"name": "限制参加政府采购"}]}, "dept1", clock.now())
            uow.commit()
            return record.id
    return make


@pytest.fixture
def newcomer(store, clock, portal_world) -> str:
    """An applicant account bound to no subject (as registration leaves it)."""
    with store.write() as uow:
        create_user(uow.session, "agent1", PASSWORD, ["applicant"], clock.now(), display_name="赵代理")
        uow.commit()
    return "agent1"
