"""Scale path: Celery workers on Redis run the same plain functions as the embedded default.

Start a worker with beat:  celery -A workflows.celery_app worker -B
(needs `pip install -e .[scale]` and CREDIT_CASES_CELERY_BROKER, e.g. redis://127.0.0.1:6379/0).
"""
from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init, worker_process_init

from workflows.archive.rendering import render_letters, sweep_letters
from workflows.background.priority import yield_session_to_requests
from workflows.background.work import prepare_for_work, run_due_work, scan_warnings_now
from workflows.runtime import build_runtime

app = Celery("credit_cases", broker=os.environ.get("CREDIT_CASES_CELERY_BROKER", "redis://127.0.0.1:6379/0"))
app.conf.timezone = "Asia/Shanghai"
app.conf.beat_schedule = {
    "fire-due-timers": {"task": "workflows.background.celery_app.fire_due_timers", "schedule": 30.0},
    "sweep-letters": {"task": "workflows.background.celery_app.sweep_letters", "schedule": 30.0},
    "scan-warnings-nightly": {"task": "workflows.background.celery_app.scan_warnings", "schedule": crontab(hour=1, minute=15)},
}
_runtime = None


@worker_init.connect
def _prepare_worker(**_kwargs) -> None:
    """Letter fonts ready before the worker takes a task (never built inside one)."""
    prepare_for_work()


@worker_process_init.connect
def _yield_to_requests(**_kwargs) -> None:
    """Letters and timers wait for the web workers when they share the cores."""
    yield_session_to_requests()


def runtime():
    """The worker's runtime; letters its own steps issue (timers) are dispatched as configured."""
    global _runtime
    if _runtime is None:
        from workflows.background.letters import start_letter_workers
        _runtime = build_runtime()
        start_letter_workers(_runtime.store, _runtime.clock, _runtime.settings.letter_workers,
                             _runtime.settings.letter_threads)
    return _runtime


@app.task(name="workflows.background.celery_app.fire_due_timers")
def fire_due_timers() -> int:
    """Several workers may run this at once: the sweep skips rows another worker holds."""
    worker = runtime()
    return run_due_work(worker.engine, courier=worker.courier)["timers"]


@app.task(name="workflows.background.celery_app.scan_warnings")
def scan_warnings() -> dict:
    return scan_warnings_now(runtime().engine)


@app.task(name="workflows.background.celery_app.render_letters")
def render_letters_task(letter_ids: list[int]) -> dict:
    """The letters one committed step issued (dispatched after its commit); idempotent."""
    outcomes = render_letters(runtime().store, [int(i) for i in letter_ids], runtime().clock.now())
    return {o.letter_id: o.status for o in outcomes}


@app.task(name="workflows.background.celery_app.sweep_letters")
def sweep_letters_task() -> dict:
    """Pending letters due for a (re)try: those whose dispatch was lost or whose rendering failed."""
    return sweep_letters(runtime().store, runtime().clock.now())
