"""Background work runs below the requests' priority, by the amount the deployment sets."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workflows.background.priority import session_group_niceness

PROBE = ("import os, sys; from workflows.background.priority import yield_to_requests; "
         "before = os.nice(0); now = yield_to_requests({k: v for k, v in os.environ.items()}); "
         "print(before, now)")


@pytest.mark.parametrize(("setting", "lowered_by"), [(None, 5), ("10", 10), ("0", 0), ("not a number", 5)])
def test_a_worker_process_lowers_its_priority_by_the_setting(setting, lowered_by, monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    if setting is not None:
        env["CREDIT_CASES_WORKER_NICE"] = setting
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, timeout=60)
    before, now = map(int, out.stdout.split())
    assert now == min(before + lowered_by, 19)  # 19: the lowest priority there is


SESSION_PROBE = ("import os; from workflows.background.priority import yield_session_to_requests; "
                 "print(yield_session_to_requests({'CREDIT_CASES_WORKER_NICE': '7'}))")
AUTOGROUP = Path("/proc/self/autogroup")


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="kernel without autogroup scheduling")
def test_a_worker_in_a_session_of_its_own_lowers_its_sessions_group():
    """Autogroups share the CPU between sessions before niceness counts, so a Celery worker's
    session (started by setsid or a service manager) must be lowered as a whole."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    out = subprocess.run([sys.executable, "-c", SESSION_PROBE], env=env, capture_output=True, text=True,
                         check=True, timeout=60, start_new_session=True)
    assert int(out.stdout) >= 7


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="kernel without autogroup scheduling")
def test_a_worker_sharing_the_web_servers_session_leaves_the_group_alone():
    """The embedded default's letter processes live in the web server's session: lowering the
    group would slow the requests too."""
    before = session_group_niceness()  # None in the root group (a container's first session)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}
    # Through an intermediate process, like a worker under the server: the probe's parent does
    # not lead the session even where pytest itself does.
    nested = f"import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-c', {SESSION_PROBE!r}]))"
    out = subprocess.run([sys.executable, "-c", nested], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "None"
    assert session_group_niceness() == before


@pytest.mark.parametrize(("text", "niceness"), [("/autogroup-85 nice 0\n", 0), ("/autogroup-3 nice 7\n", 7),
                                                ("", None), ("garbage\n", None), ("/autogroup-1 nice x\n", None)])
def test_the_groups_niceness_is_read_or_none(text, niceness, tmp_path, monkeypatch):
    """The root group's file reads empty (CI's container runs there): no group to lower, no error."""
    fake = tmp_path / "autogroup"
    fake.write_text(text)
    monkeypatch.setattr("workflows.background.priority.AUTOGROUP", fake)
    assert session_group_niceness() == niceness
