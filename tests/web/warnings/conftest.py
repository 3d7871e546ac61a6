from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.warnings import add_records, add_subjects
from tests.support.web import PASSWORD
from workflows.people.subjects import register_department
from workflows.people.users import create_user


@pytest.fixture
def bpmn_dir(warning_rules_dir) -> Path:
    """Only the early-warning thresholds (`warning_rules_dir` of tests/conftest.py)."""
    return warning_rules_dir


@pytest.fixture
def world(store, clock) -> dict[str, str]:
    """Subject `many` is penalised by 3 departments (one of them dept1's); `listed` is on two lists
    of XM-YJ only; `fine` is below every threshold."""
    with store.write() as uow:
        for code, name in (("QZ-SCJG", "泉州市市场监督管理局"), ("XM-YJ", "厦门市应急管理局"),
                           ("XM-HB", "厦门市生态环境局")):
            register_department(uow.session, code, name)
        uow.session.flush()
        for name, roles, extra in (("admin1", ["admin"], {}), ("reviewer1", ["reviewer"], {}),
                                   ("auditor1", ["auditor"], {}),
                                   ("dept1", ["department"], {"department_code": "QZ-SCJG"}),
                                   ("dept2", ["department"], {"department_code": "XM-YJ"})):
            create_user(uow.session, name, PASSWORD, roles, clock.now(), **extra)
        uow.commit()
    many, listed, fine = add_subjects(store, clock.now(), 21, 22, 23)
    for department in ("QZ-SCJG", "XM-YJ", "XM-HB"):
        add_records(store, clock.now(), many, department=department)
    add_records(store, clock.now(), listed, 2, kind="serious_list", department="XM-YJ")
    add_records(store, clock.now(), fine, department="QZ-SCJG")
    return {"many": many, "listed": listed, "fine": fine}
