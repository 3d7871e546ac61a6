"""The scale path runs the same sweep function as cron and the embedded default."""
from __future__ import annotations

import pytest

celery_app = pytest.importorskip("workflows.background.celery_app", reason="celery extra not installed")


def test_celery_task_fires_due_timers(engine, store, clock, reviewer, monkeypatch):
    engine.start_case("test_case", "91350100M000100Y43", {"severity": "general"}, reviewer)
    clock.set("2026-10-09T08:00:00+08:00")
    monkeypatch.setattr(celery_app, "runtime", lambda: type("R", (), {"engine": engine})())
    celery_app.app.conf.task_always_eager = True
    assert celery_app.fire_due_timers.delay().get() == 1
    assert celery_app.fire_due_timers.delay().get() == 0
