from __future__ import annotations

import pytest

from tests.support.training import COMPANY, NAMES, OTHER
from tests.support.web import PASSWORD
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user

ACCOUNTS = (("admin1", ["admin"], {}), ("reviewer1", ["reviewer"], {}),
            ("dept1", ["department"], {"department_code": "QZ-SCJG"}),
            ("applicant1", ["applicant"], {"subject_code": COMPANY}),
            ("applicant2", ["applicant"], {"subject_code": OTHER}))


@pytest.fixture
def people(store, clock) -> None:
    """One department, the three training subjects, and one account per role."""
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        for code, name in NAMES.items():
            register_subject(uow.session, code, name, clock.now())
        uow.session.flush()
        for name, roles, extra in ACCOUNTS:
            create_user(uow.session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()
