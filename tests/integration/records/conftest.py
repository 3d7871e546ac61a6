from __future__ import annotations

import pytest

from workflows.engine.rules import RuleBook


@pytest.fixture(scope="session")
def rules(rules_dir) -> RuleBook:
    """The records' decision tables (`rules_dir` of tests/conftest.py)."""
    return RuleBook.from_directory(rules_dir)
