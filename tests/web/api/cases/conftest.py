from __future__ import annotations

from pathlib import Path

import pytest

from workflows.core.config import PROJECT_ROOT


@pytest.fixture
def bpmn_dir() -> Path:
    """The product flows (bpmn/), for `world` and `make_record` of tests/web/conftest.py."""
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def newcomer(store, clock, world) -> str:
    """An applicant account bound to no subject (as registration leaves it)."""
    from tests.support.web import PASSWORD
    from workflows.people.users import create_user
    with store.write() as uow:
        create_user(uow.session, "agent1", PASSWORD, ["applicant"], clock.now(), display_name="赵代理")
        uow.commit()
    return "agent1"
