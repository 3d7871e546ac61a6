"""Web fixtures: an app over a real migrated database (SQLite and PostgreSQL), a frozen clock.

`bpmn_dir` is an empty folder so the app starts fast; tests that need flows override it (per
folder in its conftest.py, or per module). Two worlds of people are shared here: `people` for the
test flows (tests/data/flows) and `world` for the product flows (bpmn/); folders with people of
their own override them.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from workflows.core.config import PROJECT_ROOT, Settings
from workflows.runtime import Runtime, build_runtime
from workflows.engine.rules import RuleBook
from workflows.people.access import Actor
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user
from workflows.records import create_record

from tests.support.flow_kinds import product_and_test_kinds
from tests.support.subjects import COMPANY, OTHER
from tests.support.web import PASSWORD

USERS = {
    "admin1": (["admin"], {"display_name": "王管理"}),
    "reviewer1": (["reviewer"], {"display_name": "李审核"}),
}


@pytest.fixture
def bpmn_dir(tmp_path) -> Path:
    path = tmp_path / "bpmn"
    path.mkdir()
    return path


@pytest.fixture
def runtime(db_url, clock, tmp_path, bpmn_dir) -> Iterator[Runtime]:
    # letters stay pending until a test drains them (tests/support/letters.py): deterministic
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir,
                        secret_key="test-secret", letter_workers="off")
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()


@pytest.fixture
def app(runtime) -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime})


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def users(store, clock) -> dict[str, str]:
    """The standard users, all with `PASSWORD`; returns username -> role."""
    with store.write() as uow:
        for username, (roles, extra) in USERS.items():
            create_user(uow.session, username, PASSWORD, roles, clock.now(), **extra)
        uow.commit()
    return {name: roles[0] for name, (roles, _extra) in USERS.items()}


# -- the test flows' people and a case of theirs (bpmn_dir: tests/data/flows) ---------------------

@pytest.fixture
def people(store, clock):
    """Two subjects; reviewer1, reviewer2, supervisor1, and applicant1/applicant2 for each subject."""
    with store.write() as uow:
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", clock.now())
        register_subject(uow.session, OTHER, "厦门海沧建材贸易有限公司", clock.now())
        uow.session.flush()
        create_user(uow.session, "reviewer1", PASSWORD, ["reviewer"], clock.now())
        create_user(uow.session, "reviewer2", PASSWORD, ["reviewer"], clock.now())
        create_user(uow.session, "supervisor1", PASSWORD, ["supervisor"], clock.now())
        create_user(uow.session, "applicant1", PASSWORD, ["applicant"], clock.now(), subject_code=COMPANY)
        create_user(uow.session, "applicant2", PASSWORD, ["applicant"], clock.now(), subject_code=OTHER)
        uow.commit()


@pytest.fixture
def case(runtime, people):
    return runtime.engine.start_case("test_case", COMPANY, {"severity": "general"},
                                     Actor("reviewer1", frozenset({"reviewer"})))


# -- the product flows' world (bpmn_dir: bpmn/) ---------------------------------------------------

@pytest.fixture
def world(store, clock):
    """Departments, two subjects, and one user per role."""
    with store.write() as uow:
        s = uow.session
        register_department(s, "QZ-SCJG", "泉州市市场监督管理局")
        register_subject(s, COMPANY, "泉州市清源食品有限公司", clock.now())
        register_subject(s, OTHER, "厦门海沧建材贸易有限公司", clock.now())
        s.flush()
        for name, roles, extra in (
                ("applicant1", ["applicant"], {"subject_code": COMPANY}),
                ("applicant2", ["applicant"], {"subject_code": OTHER}),
                ("reviewer1", ["reviewer"], {}), ("reviewer2", ["reviewer"], {}),
                ("supervisor1", ["supervisor"], {}), ("dept1", ["department"], {"department_code": "QZ-SCJG"})):
            create_user(s, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()


@pytest.fixture
def make_record(store, clock, world):
    rules = RuleBook.from_directory(PROJECT_ROOT / "bpmn")

    def make(decision_date: str, severity="general", subject=COMPANY, kind="penalty", no=None):
        with store.write() as uow:
            record = create_record(uow.session, rules, {
                "subject_code": subject, "subject_name": "泉州市清源食品有限公司" if subject == COMPANY else "厦门海沧建材贸易有限公司",
                "kind": kind, "severity": severity, "decision_no": no or f"泉市监罚〔{decision_date[:4]}〕{decision_date[5:7]}{decision_date[8:]}号",
                "decision_date": decision_date, "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
                "facts": "销售不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百二十四条",
                "content": "罚款人民币二万元", "measures": [{"name": "限制参加政府采购"}, {"name": "取消评优评先资格"}]},
                "dept1", clock.now())
            uow.commit()
            return record.id
    return make


@pytest.fixture
def other_department(store, clock, world):
    """A second department (生态环境局) with its user dept2."""
    with store.write() as uow:
        register_department(uow.session, "QZ-STHJ", "泉州市生态环境局")
        uow.session.flush()
        create_user(uow.session, "dept2", PASSWORD, ["department"], clock.now(), department_code="QZ-STHJ")
        uow.commit()
