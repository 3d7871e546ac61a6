"""System clients over HTTP: the records' decision tables (so a client may write records), two
departments, two subjects, admin1, reviewer1 and dept1."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.subjects import two_of_each
from tests.support.web import PASSWORD, headers


@pytest.fixture
def bpmn_dir(rules_dir) -> Path:
    return rules_dir


@pytest.fixture
def people(store, clock):
    two_of_each(store, clock.now(), PASSWORD)


@pytest.fixture
def admin(client, people) -> dict[str, str]:
    """admin1's bearer header."""
    return headers(client, "admin1")
