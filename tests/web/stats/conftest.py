"""The product flows and the world of tests/web/conftest.py, plus the credit office's admin and
an auditor (statistics are theirs to read)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.web import PASSWORD
from workflows.core.config import PROJECT_ROOT
from workflows.people.users import create_user


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def staff(store, clock, world) -> None:
    with store.write() as uow:
        create_user(uow.session, "admin1", PASSWORD, ["admin"], clock.now())
        create_user(uow.session, "auditor1", PASSWORD, ["auditor"], clock.now())
        uow.commit()
