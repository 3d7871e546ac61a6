from __future__ import annotations

import pytest

from workflows.people.access import Actor
from workflows.engine.case_engine import CaseEngine
from workflows.engine.registry import KindRegistry
from workflows.engine.specs import SpecLibrary

from tests.support.flow_kinds import DATA_DIR, test_flow_kinds


@pytest.fixture(scope="session")
def test_specs() -> SpecLibrary:
    return SpecLibrary(DATA_DIR)


@pytest.fixture
def test_kinds() -> KindRegistry:
    return test_flow_kinds()


@pytest.fixture
def engine(store, clock, test_specs, test_kinds) -> CaseEngine:
    return CaseEngine(store, test_specs, clock, kinds=test_kinds)


@pytest.fixture
def reviewer() -> Actor:
    return Actor("reviewer1", frozenset({"reviewer"}))


@pytest.fixture
def supervisor() -> Actor:
    return Actor("supervisor1", frozenset({"supervisor"}))


@pytest.fixture
def applicant() -> Actor:
    return Actor("applicant1", frozenset({"applicant"}), subject_code="91350100M000100Y43")
