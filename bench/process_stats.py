"""What a benchmark reads of its servers from /proc: CPU seconds and resident memory of a
process (and of its children), without an extra dependency."""
from __future__ import annotations

import os
from pathlib import Path


def process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def tree_rss(pid: int) -> float:
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()] \
        if Path(f"/proc/{pid}").exists() else []
    for each in list(pids):
        children = Path(f"/proc/{each}/task/{each}/children")
        if each != pid and children.exists():
            pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024
