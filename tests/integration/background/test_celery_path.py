"""The scale path runs the same sweep function as cron and the embedded default."""
from __future__ import annotations

import pytest

celery_app = pytest.importorskip("workflows.background.celery_app", reason="celery extra not installed")


def test_celery_task_fires_due_timers(engine, store, clock, reviewer, monkeypatch):
    engine.start_case("test_case", "91350100M000100Y43", {"severity": "general"}, reviewer)
    clock.set("2026-10-09T08:00:00+08:00")
    monkeypatch.setattr(celery_app, "runtime", lambda: type("R", (), {"engine": engine, "courier": None})())
    celery_app.app.conf.task_always_eager = True
    assert celery_app.fire_due_timers.delay().get() == 1
    assert celery_app.fire_due_timers.delay().get() == 0


def test_celery_renders_the_letters_a_commit_handed_over_and_sweeps_the_rest(store, clock, monkeypatch):
    """The scale path's letter tasks run the same `render_letter` as the embedded default."""
    from letters import demo_context
    from workflows.archive.issuing import issue_letter
    from workflows.core.models.letters import Letter

    context = {k: v for k, v in demo_context("acceptance").items()
               if k not in ("number", "verification_code", "verify_url", "date")}
    with store.write() as uow:
        ids = [issue_letter(uow.session, "acceptance", context, actor="r", now=clock.now(),
                            public_url="http://credit.test").id for _ in range(2)]
        uow.commit()
    monkeypatch.setattr(celery_app, "runtime", lambda: type("R", (), {"store": store, "clock": clock})())
    celery_app.app.conf.task_always_eager = True
    assert celery_app.render_letters_task.delay([ids[0]]).get() == {ids[0]: "issued"}
    assert celery_app.sweep_letters_task.delay().get() == {"letters_rendered": 1, "letters_failed": 0}
    with store.read() as session:
        assert {session.get(Letter, i).status for i in ids} == {"issued"}
