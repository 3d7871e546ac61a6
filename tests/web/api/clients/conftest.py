"""System clients over HTTP: the records' decision tables (so a client may write records), two
departments, two subjects, admin1, reviewer1 and dept1."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.subjects import COMPANY, OTHER
from tests.support.web import PASSWORD, headers
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user


@pytest.fixture
def bpmn_dir(rules_dir) -> Path:
    return rules_dir


@pytest.fixture
def people(store, clock):
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        register_department(uow.session, "XM-YJ", "厦门市应急管理局")
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", clock.now())
        register_subject(uow.session, OTHER, "厦门海沧建材贸易有限公司", clock.now())
        uow.session.flush()
        for name, roles, extra in (("admin1", ["admin"], {}), ("reviewer1", ["reviewer"], {}),
                                   ("dept1", ["department"], {"department_code": "QZ-SCJG"})):
            create_user(uow.session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()


@pytest.fixture
def admin(client, people) -> dict[str, str]:
    """admin1's bearer header."""
    return headers(client, "admin1")
