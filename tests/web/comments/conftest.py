from __future__ import annotations

from pathlib import Path

import pytest

from workflows.core.config import PROJECT_ROOT


@pytest.fixture
def bpmn_dir() -> Path:
    """The product flows (bpmn/), for `world` and `make_record` of tests/web/conftest.py."""
    return PROJECT_ROOT / "bpmn"
