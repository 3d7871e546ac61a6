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


def test_tick_prepares_the_letter_fonts_before_it_takes_work(db_url, clock, tmp_path, monkeypatch, store):
    """A fresh data directory: `tick` builds the subsets first, outside any transaction, so
    no letter a timer issues builds them under its locks (the renderer would refuse)."""
    import shutil
    from pathlib import Path

    from letters import fonts
    from webapp.cli import CommandContext, main
    shared = Path(fonts.fonts_dir())
    built: list[str] = []

    def cut_from_the_shared_subsets(target, faces, _sources, _jobs):  # the real cut takes 20–70 s
        for face in faces:
            shutil.copy(shared / face.filename, target / face.filename)
            built.append(face.key)

    monkeypatch.setattr(fonts, "_build", cut_from_the_shared_subsets)
    monkeypatch.setenv(fonts.FONTS_DIR_ENV, str(tmp_path / "fonts"))
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    assert not fonts.fonts_ready()
    result = CliRunner().invoke(main, ["tick"], obj=CommandContext(clock=clock), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert built == [face.key for face in fonts.FACES] and fonts.fonts_ready()
