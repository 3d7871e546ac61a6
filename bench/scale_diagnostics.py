"""Diagnostics for bench/repair_scale.py --explain: each statement's time, plans of slow ones."""
from __future__ import annotations

import time

from sqlalchemy import event


def timed_get(client, url: str):
    """Imported late: repair_scale imports this module while it loads."""
    from bench.repair_scale import timed_get as get
    return get(client, url)


class QueryLog:
    """Every statement an engine runs while active, with its own time (cursor execute → fetch)."""

    def __init__(self, engine) -> None:
        self.engine, self.queries = engine, []

    def __enter__(self) -> "QueryLog":
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.queries.append((time.perf_counter() - conn.info.pop("bench_started"), statement, parameters))


def explain_requests(client, runtime, urls: list[str], slow_ms: float = 2.0) -> None:
    """Per request: each SQL statement's time; plans of the slow ones (EXPLAIN ANALYZE on PG)."""
    engine = runtime.store.engine
    for url in urls:
        try:
            timed_get(client, url)  # warm
            with QueryLog(engine) as log:
                watch, _ = timed_get(client, url)
        except Exception as err:  # noqa: BLE001
            print(f"\n  GET {url}: FAILED ({type(err).__name__}: {err})")
            continue
        sql_ms = sum(q[0] for q in log.queries) * 1000
        print(f"\n  GET {url}: {watch.wall * 1000:.1f} ms, {len(log.queries)} statements, {sql_ms:.1f} ms in SQL")
        for seconds, statement, _params in log.queries:
            print(f"    {seconds * 1000:7.2f} ms  {' '.join(statement.split())[:150]}")
        for seconds, statement, params in log.queries:
            if seconds * 1000 >= slow_ms and statement.lstrip().upper().startswith("SELECT"):
                print_plan(engine, statement, params)


def print_plan(engine, statement: str, params) -> None:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, params).all()
    print("    plan of: " + " ".join(statement.split())[:300])
    for row in rows:
        print("      " + (" | ".join(str(v) for v in row) if engine.dialect.name == "sqlite" else row[0]))


def profile_filing(client, runtime, file_over_api, jobs, top: int = 30) -> None:
    """One filing over the API after warm-up: its statements in order, then where Python spends time
    outside letter rendering (the target excludes it, so the profiled filing reuses a rendered PDF)."""
    import cProfile
    import pstats

    import workflows.archive.issuing as issuing

    for token, code, record_id in jobs[:-2]:  # warm
        file_over_api(client, token, code, record_id)
    original, rendered = issuing.render, {}
    issuing.render = lambda *args, **kwargs: rendered.get("pdf") or rendered.setdefault("pdf", original(*args, **kwargs))
    try:
        token, code, record_id = jobs[-2]
        with QueryLog(runtime.store.engine) as log:
            started = time.perf_counter()
            file_over_api(client, token, code, record_id)
            wall = time.perf_counter() - started
        sql_ms = sum(q[0] for q in log.queries) * 1000
        print(f"\n  filing over the API: {wall * 1000:.1f} ms (one letter rendered), {len(log.queries)} statements, "
              f"{sql_ms:.1f} ms in SQL")
        for seconds, statement, _params in log.queries:
            print(f"    {seconds * 1000:7.2f} ms  {' '.join(statement.split())[:150]}")
        profiler = cProfile.Profile()
        profiler.runcall(file_over_api, client, *jobs[-1])
    finally:
        issuing.render = original
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"work/main/(workflows|letters|webapp)", top)
    stats.sort_stats("cumulative").print_stats(r"site-packages/(SpiffWorkflow|sqlalchemy/orm/session|psycopg/connection)", top)
    stats.sort_stats("tottime").print_stats(top)
