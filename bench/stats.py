"""Supervision statistics at scale (issue 18): each /stats page for a year and the XLSX export.

Server time of `GET /stats/<section>?period=year` (every section, several years, unfiltered and
filtered by regime and by department, in turn) and of `GET /stats/export.xlsx?period=year`, measured in-process with Flask's test client
after warm-up, on PostgreSQL and SQLite, over the scale data set of bench/repair_scale.py
(bench/scale_data.py: 1M records, 200k closed and 20k open repair cases by default).
Run: .venv/bin/python bench/stats.py --backend sqlite|postgresql|both
       [--records 1000000 --closed 200000 --open 20000] [--keep] [--requests 20]
--keep reuses a generated database (and keeps it). The databases are this benchmark's own
(/tmp/stats_bench, PostgreSQL database `bench_stats`), so it never disturbs repair_scale's.
Targets (issue 18): each statistics page for a year p95 ≤ 1 s; XLSX export of a year ≤ 10 s.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CREDIT_CASES_FONTS_DIR", str(ROOT / "var" / "fonts"))

from sqlalchemy import text  # noqa: E402

from bench import repair_scale as scale_bench  # noqa: E402
from bench import scale_data as data  # noqa: E402
from webapp import create_app  # noqa: E402
from workflows.core.clock import FrozenClock  # noqa: E402
from workflows.core.db import make_engine  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/bench_stats"
SQLITE_DIR = Path("/tmp/stats_bench")
TARGET_PAGE_S, TARGET_XLSX_S = 1.0, 10.0
SECTIONS = ("repair", "objection", "commitment", "interview", "now")
YEARS = (2024, 2025, 2026)
# each page unfiltered, then by the regime most cases are under and by one department of six
FILTERS = {"": "", "+gb22": "&regime=gb22", "+order36": "&regime=order36", "+dept": "&department=QZ-SCJG"}


def database_url(backend: str, scale: data.Scale) -> str:
    if backend == "postgresql":
        return os.environ.get("BENCH_STATS_PG_URL", PG_URL)
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{SQLITE_DIR / f'stats-{scale.label}.sqlite3'}"


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database when it is missing."""
    name = url.rsplit("/", 1)[1]
    engine = make_engine(url.rsplit("/", 1)[0] + "/postgres")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def prepared(backend: str, scale: data.Scale, keep: bool, clock: FrozenClock) -> tuple[str, float | None]:
    """The data set's URL, generated unless kept from an earlier run; and the minutes it took."""
    url = database_url(backend, scale)
    if backend == "postgresql":
        ensure_pg_database(url)
    if keep and scale_bench.is_generated(url, scale):
        upgrade(url)
        return url, None
    scale_bench.reset(url)
    return url, scale_bench.generate(url, scale, clock) / 60


CPU: dict[str, list[float]] = {}  # page -> this process's CPU seconds (SQLite runs in-process)


def timed(client, url: str, page: str = "") -> float:
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.get(url)
    elapsed = time.perf_counter() - started
    CPU.setdefault(page, []).append(time.process_time() - cpu)
    assert answer.status_code == 200, (url, answer.status_code, answer.data[:300])
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure(url: str, clock: FrozenClock, requests: int) -> dict[str, list[float]]:
    """Seconds per request, by page, signed in as the credit office's admin."""
    runtime = scale_bench.open_runtime(url, clock)
    try:
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime})
        client = app.test_client()
        answer = client.post("/login", data={"username": "admin1", "password": scale_bench.PASSWORD})
        assert answer.status_code in (302, 303), answer.status_code
        timings: dict[str, list[float]] = {}
        for section in SECTIONS:  # warm-up: templates compile, caches fill
            timed(client, f"/stats/{section}?period=year&year={YEARS[-1]}")
        CPU.clear()
        for index in range(requests):
            year = YEARS[index % len(YEARS)]
            for section in SECTIONS:
                for label, query in FILTERS.items():
                    page = f"{section}{label}"
                    timings.setdefault(page, []).append(
                        timed(client, f"/stats/{section}?period=year&year={year}{query}", page))
        for year in YEARS:
            timings.setdefault("xlsx", []).append(timed(client, f"/stats/export.xlsx?period=year&year={year}", "xlsx"))
        return timings
    finally:
        runtime.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--closed", type=int, default=200_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20, help="requests per page")
    parser.add_argument("--keep", action="store_true", help="reuse a generated database; keep it afterwards")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args(argv)
    scale = data.Scale(args.records, args.closed, args.open)
    clock = FrozenClock(scale_bench.NOW)
    for backend in ("postgresql", "sqlite") if args.backend == "both" else (args.backend,):
        url, minutes = prepared(backend, scale, args.keep, clock)
        if minutes is not None:
            print(f"{backend}: data set {scale.label} generated in {minutes:.1f} min", flush=True)
        if args.generate_only:
            continue
        report(backend, measure(url, clock, args.requests))


def report(backend: str, timings: dict[str, list[float]]) -> None:
    """Wall time per page; and CPU time of this process, which on a shared, loaded machine is
    the nearer measure of SQLite's work (PostgreSQL's runs in the server, so its CPU is not here)."""
    for page, values in timings.items():
        cpu = CPU.get(page, [0.0])
        target = TARGET_XLSX_S if page == "xlsx" else TARGET_PAGE_S
        p95 = percentile(values, 95)
        print(f"{backend:<11} {page:<19} n={len(values):<4} median {percentile(values, 50) * 1000:7.0f} ms  "
              f"p95 {p95 * 1000:7.0f} ms  (CPU here: median {percentile(cpu, 50) * 1000:.0f} ms, "
              f"p95 {percentile(cpu, 95) * 1000:.0f} ms)  target {target * 1000:.0f} ms  "
              f"{'ok' if p95 <= target else 'MISSED'}", flush=True)
    CPU.clear()


if __name__ == "__main__":
    main()
