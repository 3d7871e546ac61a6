from __future__ import annotations

import pytest

from tests.support.commitments import COMPANY, OTHER, PERSON
from tests.support.web import PASSWORD
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user

ACCOUNTS = (("admin1", ["admin"], {}), ("reviewer1", ["reviewer"], {}),
            ("dept1", ["department"], {"department_code": "QZ-SCJG"}),
            ("dept2", ["department"], {"department_code": "QZ-ZJ"}),
            ("applicant1", ["applicant"], {"subject_code": PERSON}))


@pytest.fixture
def people(store, clock) -> None:
    """The register's two departments, three subjects, and one account per role (applicant1: 张三)."""
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        register_department(uow.session, "QZ-ZJ", "泉州市住房和城乡建设局")
        for code, name in ((COMPANY, "泉州市清源食品有限公司"), (OTHER, "厦门海沧建材贸易有限公司"), (PERSON, "张三")):
            register_subject(uow.session, code, name, clock.now())
        uow.session.flush()
        for name, roles, extra in ACCOUNTS:
            create_user(uow.session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()
