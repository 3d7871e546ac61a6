from __future__ import annotations

import pytest

from workflows.engine.rules import RuleBook
from workflows.people.subjects import register_department


@pytest.fixture(scope="session")
def rules(rules_dir) -> RuleBook:
    """The records' decision tables (`rules_dir` of tests/conftest.py)."""
    return RuleBook.from_directory(rules_dir)


@pytest.fixture(autouse=True)
def departments(store) -> None:
    """The deciding departments these records and import files name: records need registered ones."""
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        register_department(uow.session, "11350500MB0000001X", "泉州市市场监督管理局")
        uow.commit()
