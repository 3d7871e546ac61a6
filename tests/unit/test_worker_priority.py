"""Background work runs below the requests' priority, by the amount the deployment sets."""
from __future__ import annotations

import subprocess
import sys

import pytest

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
