from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from workflows.core.config import PROJECT_ROOT
from workflows.core.models.people import User

NAMES = {"applicant1": "清源食品 陈志明", "reviewer1": "审核员 李明", "dept1": "市场监管局 陈静"}


@pytest.fixture
def bpmn_dir() -> Path:
    """The product flows (bpmn/), for `world` and `make_record` of tests/web/conftest.py."""
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def named(store, world) -> dict[str, str]:
    """The world's people with display names, so a page showing a username is caught."""
    with store.write() as uow:
        for username, name in NAMES.items():
            uow.session.execute(update(User).where(User.username == username).values(display_name=name))
        uow.commit()
    return NAMES
