"""The in-process scheduler: timers every sweep, the early-warning scan once a night."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from workflows.core.config import PROJECT_ROOT
from workflows.background.scheduler import TimerSweeper


@pytest.fixture
def bpmn_dir():
    return PROJECT_ROOT / "bpmn"


def test_nightly_scan_runs_once_a_day_after_one(runtime, clock):
    sweeper = TimerSweeper(runtime.engine)
    clock.set("2026-10-01T00:30:00+08:00")
    assert sweeper.nightly_scan() is False
    clock.set("2026-10-01T01:05:00+08:00")
    assert sweeper.nightly_scan() is True
    assert sweeper.nightly_scan() is False  # once per day
    clock.set("2026-10-02T03:00:00+08:00")
    assert sweeper.nightly_scan() is True


def test_cli_scan_and_tick(db_url, clock, tmp_path, monkeypatch, store):
    from webapp.cli import CommandContext, main
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["scan-warnings"], obj=CommandContext(clock=clock), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "预警" in result.output  # the Chinese scan summary
