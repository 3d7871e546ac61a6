"""Background work yields the CPU to requests: a reviewer waiting on an answer comes before a
letter that may take a few more seconds. Used by the embedded default's letter processes and
by every Celery worker process (where the web server shares the machine, as in a small
deployment; on a worker host of its own the niceness changes nothing)."""
from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_NICENESS = 5


def yield_to_requests(env: Mapping[str, str] | None = None) -> int:
    """Lower this process's priority by CREDIT_CASES_WORKER_NICE (default 5; 0 leaves it);
    the niceness now in force is returned."""
    env = os.environ if env is None else env
    try:
        step = int(env.get("CREDIT_CASES_WORKER_NICE", DEFAULT_NICENESS))
    except ValueError:
        step = DEFAULT_NICENESS
    try:
        return os.nice(max(step, 0))
    except OSError:  # not permitted here: run at the priority we have
        return os.nice(0)
