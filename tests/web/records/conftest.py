from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.subjects import APPLICANTS, STAFF, two_of_each
from tests.support.web import PASSWORD


@pytest.fixture
def bpmn_dir(rules_dir) -> Path:
    """Only the records' decision tables (`rules_dir` of tests/conftest.py)."""
    return rules_dir


@pytest.fixture
def people(store, clock):
    """Two departments, two subjects, and admin1, reviewer1, dept1, applicant1 and applicant2."""
    two_of_each(store, clock.now(), PASSWORD, STAFF + APPLICANTS)
