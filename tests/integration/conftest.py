from __future__ import annotations

import pytest

from workflows.people.access import Actor
from workflows.engine.case_engine import CaseEngine
from workflows.engine.specs import SpecLibrary

from ..conftest import DATA_DIR


@pytest.fixture(scope="session")
def test_specs() -> SpecLibrary:
    return SpecLibrary(DATA_DIR)


@pytest.fixture
def engine(store, clock, test_specs) -> CaseEngine:
    return CaseEngine(store, test_specs, clock)


@pytest.fixture
def reviewer() -> Actor:
    return Actor("reviewer1", frozenset({"reviewer"}))


@pytest.fixture
def supervisor() -> Actor:
    return Actor("supervisor1", frozenset({"supervisor"}))


@pytest.fixture
def applicant() -> Actor:
    return Actor("applicant1", frozenset({"applicant"}), subject_code="91350100M000100Y43")
