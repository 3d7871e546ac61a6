from __future__ import annotations

import pytest

from tests.support.training import NAMES
from workflows.people.subjects import register_subject


@pytest.fixture
def subjects(store, clock) -> None:
    """The three training subjects: two companies and a person."""
    with store.write() as uow:
        for code, name in NAMES.items():
            register_subject(uow.session, code, name, clock.now())
        uow.commit()
