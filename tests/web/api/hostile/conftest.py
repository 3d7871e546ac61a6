from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.web import PASSWORD
from workflows.core.config import PROJECT_ROOT
from workflows.people.users import create_user


@pytest.fixture
def bpmn_dir() -> Path:
    """The product flows (bpmn/), for `world` and `make_record` of tests/web/conftest.py."""
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def admin(store, clock, world) -> str:
    """The product world of tests/web/conftest.py plus the credit office's admin1."""
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        uow.commit()
    return "admin1"
