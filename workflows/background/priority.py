"""Background work yields the CPU to requests: a reviewer waiting on an answer comes before a
letter that may take a few more seconds. Used by the embedded default's letter processes and
by every Celery worker process (where the web server shares the machine, as in a small
deployment; on a worker host of its own the niceness changes nothing).

Linux's autogroup scheduling shares the CPU between sessions first and applies a niceness only
within its session, so a Celery worker started in a session of its own (as a service manager or
`setsid` starts it) lowers its session's group as well; the embedded default's letter processes
share the web server's session and must not."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_NICENESS = 5
AUTOGROUP = Path("/proc/self/autogroup")


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


def yield_session_to_requests(env: Mapping[str, str] | None = None) -> int | None:
    """In a worker whose session is its own (this process or its parent, the Celery main
    process, leads it), lower the session's scheduling group by the same setting and lower this
    process as `yield_to_requests` does; the group's niceness now in force, or None where the
    session is shared (lowering it would slow the web server) or the kernel has no autogroups."""
    niceness = yield_to_requests(env)
    if os.getsid(0) not in (os.getpid(), os.getppid()):
        return None
    current = session_group_niceness()
    if current is None:
        return None
    wanted = max(current, min(niceness, 19))
    if wanted != current:
        try:
            AUTOGROUP.write_text(str(wanted))
        except OSError:  # not ours to change
            return None
    return session_group_niceness()


def session_group_niceness() -> int | None:
    """The niceness of this process's scheduling group ("/autogroup-85 nice 0"), or None where
    there is none to read: no autogroup support, or a process in the root group (a container's
    first session), whose file reads empty."""
    try:
        text = AUTOGROUP.read_text()
    except OSError:
        return None
    _, found, value = text.rpartition("nice")
    try:
        return int(value) if found else None
    except ValueError:
        return None
