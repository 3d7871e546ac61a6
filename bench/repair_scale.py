"""Credit repair at scale (issue 4): desk pages and filing with 1M records and 220k repair cases.

Server time of the reviewer inbox (`GET /desk/?view=…`, the five filters in turn), the case page
(`GET /desk/cases/<id>`, random open cases) and filing (`POST /api/v1/cases`, fresh eligible
records), measured in-process with Flask's test client after warm-up, on PostgreSQL and SQLite.
Letter rendering (WeasyPrint) is timed separately and subtracted from filing.
Data: bench/scale_data.py (bulk COPY / executemany; open cases are clones of one engine-filed case).
Run: .venv/bin/python bench/repair_scale.py --backend sqlite|postgresql|both
       [--records 1000000 --closed 200000 --open 20000] [--keep] [--explain]
--keep reuses a generated database (and keeps it); --explain prints each request's statements and
the plans of slow ones (bench/scale_diagnostics.py); --profile-filing lists one filing's statements
and profiles another instead of measuring.
Targets (issue 4): inbox and case page p95 ≤ 50 ms; filing p95 ≤ 30 ms excluding letter rendering.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CREDIT_CASES_FONTS_DIR", str(ROOT / "var" / "fonts"))

from sqlalchemy import func, inspect, select, text  # noqa: E402

import workflows.archive.issuing as issuing  # noqa: E402
import webapp  # noqa: E402
from bench import scale_data as data  # noqa: E402
from bench.scale_diagnostics import explain_requests, profile_filing  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.heap import freeze_startup_heap  # noqa: E402
from workflows.people.access import Actor  # noqa: E402
from workflows.core.clock import FrozenClock, to_local  # noqa: E402
from workflows.core.config import Settings  # noqa: E402
from workflows.core.db import make_engine  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402
from workflows.core.models.letters import Letter
from workflows.core.models.cases import Case, CaseEvent
from workflows.core.models.people import Subject, User
from workflows.engine.inbox import FILTERS  # noqa: E402
from workflows.records import create_record  # noqa: E402
from workflows.kinds.repair.filing import file_repair  # noqa: E402
from workflows.runtime import Runtime, build_runtime  # noqa: E402
from workflows.engine.serializer import SERIALIZER_VERSION  # noqa: E402
from workflows.people.users import hash_password  # noqa: E402

# Every area is imported now, with `webapp` (its blueprints are built at import): others edit the
# code while data is generated, and a lazy import minutes later could meet newer modules.
assert webapp.BLUEPRINTS

NOW = "2026-11-17T10:00:00+08:00"  # a Tuesday, no holiday near
PG_URL = "postgresql://postgres@127.0.0.1:5432/bench"
SQLITE_DIR = Path("/tmp/repair_scale")
PASSWORD = "bench-password-42"
TARGETS_MS = {"inbox": 50.0, "case page": 50.0, "filing, API, excl. letters": 30.0,
              "filing, engine, excl. letters": 30.0}
SERIAL_TABLES = ("credit_record", "punishment_measure", "record_history", "case_instance", "case_event",
                 "letter", "app_user")


@dataclass
class Result:
    backend: str
    generated_s: float | None = None
    timings: dict[str, list[float]] = field(default_factory=dict)  # operation -> wall seconds
    cpu: dict[str, list[float]] = field(default_factory=dict)  # operation -> CPU seconds (this process)
    notes: list[str] = field(default_factory=list)

    def add(self, operation: str, wall: float, cpu: float) -> None:
        self.timings.setdefault(operation, []).append(wall)
        self.cpu.setdefault(operation, []).append(cpu)


# -- databases -----------------------------------------------------------------------------------

def database_url(backend: str, scale: data.Scale) -> str:
    if backend == "postgresql":
        return os.environ.get("BENCH_PG_URL", PG_URL)
    return f"sqlite:///{SQLITE_DIR / f'bench-{scale.label}.sqlite3'}"


def is_generated(url: str, scale: data.Scale) -> bool:
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("bench_meta"):
            return False
        with engine.connect() as conn:
            return conn.scalar(text("SELECT value FROM bench_meta WHERE key = 'scale'")) == scale.label
    finally:
        engine.dispose()


def reset(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = make_engine(url)
    with engine.begin() as conn:
        schema = conn.scalar(text("SELECT current_schema()")) or "public"
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def open_runtime(url: str, clock: FrozenClock) -> Runtime:
    return build_runtime(Settings(data_dir=SQLITE_DIR, database_url=url, secret_key="bench"), clock)


# -- generation ----------------------------------------------------------------------------------

def generate(url: str, scale: data.Scale, clock: FrozenClock) -> float:
    started = time.perf_counter()
    upgrade(url)
    runtime = open_runtime(url, clock)
    try:
        engine, loader = runtime.store.engine, data.Loader(runtime.store.engine)
        plan = data.Plan(scale, clock.now(), runtime.specs.current.id, SERIALIZER_VERSION)
        with runtime.store.read() as session:
            rules = runtime.engine.rules_for(session, plan.spec_set_id)
        _step("departments, subjects", lambda: data.load_subjects(loader, plan))
        _step(f"{scale.records} records + measures + history", lambda: data.load_records(loader, plan, rules))
        _step(f"{scale.closed} closed cases", lambda: data.load_closed_cases(loader, plan, rules))
        fix_sequences(engine)
        add_users(runtime, [(name, "reviewer", None) for name in data.REVIEWERS]
                  + [("supervisor1", "supervisor", None), ("admin1", "admin", None)])
        template = _step("template case (engine)", lambda: file_template(runtime, plan))
        tpl = data.read_template(engine, template.id)
        last_event, last_letter = _max_id(engine, CaseEvent), _max_id(engine, Letter)
        _step(f"{scale.open - 1} open clones", lambda: data.load_open_clones(
            loader, plan, rules, tpl, template.id + 1, last_event, last_letter))
        fix_sequences(engine)
        _step("analyze", lambda: analyze(engine))
        mark_generated(engine, scale)
        print("    loaded: " + ", ".join(f"{t} {loader.rows[t]} rows {s:.0f} s" for t, s in loader.seconds.items()))
    finally:
        runtime.close()
    return time.perf_counter() - started


def _step(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"    {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def _max_id(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(model.id))) or 0


def fix_sequences(engine) -> None:
    """COPY with explicit ids leaves PostgreSQL's serial sequences behind; SQLite needs nothing."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in SERIAL_TABLES:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"GREATEST((SELECT max(id) FROM {table}), 1))"))


def analyze(engine) -> None:
    """PostgreSQL: what autovacuum does after a bulk load. SQLite: nothing (the product never
    runs ANALYZE, so the planner works without statistics, as in a real deployment)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def mark_generated(engine, scale: data.Scale) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_meta (key VARCHAR(32) PRIMARY KEY, value VARCHAR(200))"))
        conn.execute(text("INSERT INTO bench_meta VALUES ('scale', :label)"), {"label": scale.label})


def add_users(runtime: Runtime, users: list[tuple[str, str, str | None]]) -> None:
    """Users with one shared password hash (argon2 per user would dominate set-up)."""
    hashed, now = hash_password(PASSWORD), runtime.clock.now()
    with runtime.store.write() as uow:
        known = set(uow.session.scalars(select(User.username).where(User.username.in_([u[0] for u in users]))))
        uow.session.add_all(User(username=name, password_hash=hashed, display_name=name, roles=role,
                                 subject_code=subject, active=True, created_at=now)
                            for name, role, subject in users if name not in known)
        uow.commit()


def repair_form(record_ids: list[int]) -> dict:
    return {"record_ids": record_ids, "reason": "已缴清罚款并完成整改",
            "rectification": "已下架问题食品并建立进货查验制度", "commitment_accepted": True}


def file_template(runtime: Runtime, plan: data.Plan) -> Case:
    record_id = data.template_record(plan)
    code = data.subject_code(plan.subject_index(record_id))
    applicant = Actor(f"app-{code}", frozenset({"applicant"}), subject_code=code)
    case = file_repair(runtime.engine, applicant, code, repair_form([record_id]))
    if case.status != "running":
        raise SystemExit(f"template case {case.id} was not accepted ({case.outcome})")
    return case


# -- measuring -----------------------------------------------------------------------------------

class Stopwatch:
    """Wall time (what the targets are about) and this process's CPU time (robust to a busy box)."""

    def __enter__(self) -> "Stopwatch":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


class RenderTimer:
    """Wraps letters.issuing.render: wall and CPU seconds spent rendering since the last reset."""

    def __init__(self) -> None:
        self.wall, self.cpu, self._original = 0.0, 0.0, issuing.render

    def __enter__(self) -> "RenderTimer":
        def timed(*args, **kwargs):
            with Stopwatch() as watch:
                pdf = self._original(*args, **kwargs)
            self.wall, self.cpu = self.wall + watch.wall, self.cpu + watch.cpu
            return pdf
        issuing.render = timed
        return self

    def __exit__(self, *exc) -> None:
        issuing.render = self._original


def timed_get(client, url: str) -> tuple[Stopwatch, str]:
    with Stopwatch() as watch:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return watch, response.get_data(as_text=True)


def measure_inbox(client, result: Result, requests: int, tag: str = "") -> None:
    for view in FILTERS * 3:  # warm-up
        _, page = timed_get(client, f"/desk/?view={view}")
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)</span>', page))
    result.notes.append("inbox counts for reviewer1: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for view in (FILTERS[i % len(FILTERS)] for i in range(requests)):
        watch, page = timed_get(client, f"/desk/?view={view}")
        result.add("inbox" + tag, watch.wall, watch.cpu)
        result.add(f"  view={view}" + tag, watch.wall, watch.cpu)


def measure_case_page(client, runtime: Runtime, result: Result, requests: int, tag: str = "") -> None:
    with runtime.store.read() as session:
        ids = list(session.scalars(select(Case.id).where(Case.status == "running", Case.kind == "repair")))
    if not tag:
        result.notes.append(f"open repair cases in the database: {len(ids)} (each run files more)")
    rng = random.Random(7)
    for case_id in rng.sample(ids, min(20, len(ids))):  # warm-up
        _, page = timed_get(client, f"/desk/cases/{case_id}")
    if "<svg" not in page:
        result.notes.append("case page: no diagram rendered")
    for case_id in (rng.choice(ids) for _ in range(requests)):
        watch, _ = timed_get(client, f"/desk/cases/{case_id}")
        result.add("case page" + tag, watch.wall, watch.cpu)


def prepare_filings(client, runtime: Runtime, count: int) -> list[tuple[str, str, int]]:
    """(token, subject code, record id): fresh eligible records of subjects with no cases."""
    subjects = _reserved_subjects(runtime)
    now, tag = runtime.clock.now(), time.time_ns() // 1000 % 10**12
    decided = (to_local(now) - timedelta(days=120)).date().isoformat()
    add_users(runtime, [(f"app-{code}", "applicant", code) for code in subjects[:count]])
    jobs = []
    with runtime.store.write() as uow:
        rules = runtime.engine.rules_for(uow.session, runtime.specs.current.id)
        for i in range(count):
            code = subjects[i % len(subjects)]
            record = create_record(uow.session, rules, {
                "subject_code": code, "subject_name": "", "kind": "penalty", "severity": "general",
                "decision_no": f"泉市监罚〔2026〕B{tag}-{i}号", "decision_date": decided,
                "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
                "facts": "销售不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百二十四条",
                "content": "罚款人民币二万元", "measures": [{"name": "限制参加政府采购"}]}, "dept-bench", now)
            uow.session.flush()
            jobs.append((code, record.id))
        uow.commit()
    tokens = {}
    for code, _ in jobs:
        if code not in tokens:
            response = client.post("/api/v1/auth/token", json={"username": f"app-{code}", "password": PASSWORD})
            tokens[code] = response.get_json()["token"]
    return [(tokens[code], code, record_id) for code, record_id in jobs]


def _reserved_subjects(runtime: Runtime) -> list[str]:
    with runtime.store.read() as session:
        total = session.scalar(select(func.count()).select_from(Subject))
    first = total - data.RESERVED_SUBJECTS
    return [data.subject_code(i) for i in range(first, total)]


def measure_filing(client, runtime: Runtime, result: Result, requests: int, warmup: int = 5,
                   tag: str = "") -> None:
    """Alternately over HTTP (`POST /api/v1/cases`: token check, filing, case JSON) and straight
    through `file_repair` (the engine step alone), so both see the same load."""
    jobs = prepare_filings(client, runtime, 2 * (requests + warmup))
    refused = 0
    with RenderTimer() as renders:
        for n, (token, code, record_id) in enumerate(jobs):
            renders.wall = renders.cpu = 0.0
            how = "API" if n % 2 == 0 else "engine"
            with Stopwatch() as watch:
                status = file_over_api(client, token, code, record_id) if how == "API" else file_directly(
                    runtime, code, record_id)
            refused += status != "running"
            if n >= 2 * warmup:
                result.add(f"filing, {how} (raw)" + tag, watch.wall, watch.cpu)
                result.add("  letter rendering (2)" + tag, renders.wall, renders.cpu)
                result.add(f"filing, {how}, excl. letters" + tag, watch.wall - renders.wall, watch.cpu - renders.cpu)
    if refused:
        result.notes.append(f"filing: {refused} requests were not accepted (refusal letter path)")


def file_over_api(client, token: str, code: str, record_id: int) -> str:
    response = client.post("/api/v1/cases", headers={"Authorization": f"Bearer {token}"},
                           json={"kind": "repair", "subject_code": code, "form": repair_form([record_id])})
    if response.status_code != 201:
        raise RuntimeError(f"filing: HTTP {response.status_code} {response.get_json()}")
    return response.get_json()["status"]


def file_directly(runtime: Runtime, code: str, record_id: int) -> str:
    applicant = Actor(f"app-{code}", frozenset({"applicant"}), subject_code=code)
    return file_repair(runtime.engine, applicant, code, repair_form([record_id])).status


def run_backend(backend: str, scale: data.Scale, args) -> Result:
    url, clock, result = database_url(backend, scale), FrozenClock(NOW), Result(backend)
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    if args.keep and is_generated(url, scale):
        print(f"[{backend}] reusing {url} ({scale.label})", flush=True)
        upgrade(url)  # the schema may have moved on since the data was generated
    else:
        print(f"[{backend}] generating {scale.label} into {url}", flush=True)
        reset(url)
        result.generated_s = generate(url, scale, clock)
    runtime = open_runtime(url, clock)
    try:
        client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime}).test_client()
        freeze_startup_heap()  # as `credit-cases serve` does after start-up
        client.post("/login", data={"username": "reviewer1", "password": PASSWORD})
        if args.explain:
            explain_requests(client, runtime, [f"/desk/?view={v}" for v in FILTERS] + [
                f"/desk/cases/{_max_id(runtime.store.engine, Case) - 1}"])
        if args.profile_filing:
            profile_filing(client, runtime, file_over_api, prepare_filings(client, runtime, 12))
            return result
        measure_all(result, [("inbox", lambda: measure_inbox(client, result, args.requests)),
                             ("case page", lambda: measure_case_page(client, runtime, result, args.requests)),
                             ("filing", lambda: measure_filing(client, runtime, result, args.filings))])
    finally:
        runtime.close()
    if not args.keep:
        reset(url)
    return result


def measure_all(result: Result, measures) -> None:
    for name, measure in measures:
        try:
            result.notes.append(f"{name}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            _step(name, measure)
        except Exception as err:  # noqa: BLE001 - a broken page is a finding, not the end of the run
            result.notes.append(f"{name}: FAILED, {type(err).__name__}: {str(err).splitlines()[0][:200]}")
            print(f"    {name}: FAILED ({type(err).__name__}: {err})", flush=True)


# -- report --------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def report(results: list[Result], scale: data.Scale) -> None:
    print(f"\nScale: {scale.records} credit records, {scale.subjects} subjects, {scale.closed} closed and "
          f"{scale.open} open repair cases. Server time in-process (Flask test client), after warm-up.")
    print("Closed cases have an empty workflow JSON and no letters; they are never opened here.")
    print("wall = server time (targets apply to it); cpu = this process's CPU time (the Python share,\n"
          "unaffected by other load on the machine; the database server's own CPU is not in it).\n")
    print(f"{'backend':<11} {'operation':<38} {'n':>4} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} "
          f"{'cpu p95':>8}  target (wall p95)")
    for result in results:
        for name, values in result.timings.items():
            cpu = result.cpu[name]
            p95 = percentile(values, 95) * 1000
            target = TARGETS_MS.get(name.split(" [")[0])
            verdict = "" if target is None else f"≤{target:.0f} ms: {'MET' if p95 <= target else 'MISSED'}"
            print(f"{result.backend:<11} {name:<38} {len(values):>4} {percentile(values, 50) * 1000:>9.1f} "
                  f"{p95:>9.1f} {percentile(cpu, 50) * 1000:>8.1f} {percentile(cpu, 95) * 1000:>8.1f}  {verdict}")
        if result.generated_s is not None:
            print(f"{result.backend:<11} data generation: {result.generated_s / 60:.1f} min")
        for note in result.notes:
            print(f"{result.backend:<11} {note}")
        print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--closed", type=int, default=200_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200, help="inbox and case-page requests each")
    parser.add_argument("--filings", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="reuse a generated database; keep it afterwards")
    parser.add_argument("--explain", action="store_true", help="print per-statement times and slow plans")
    parser.add_argument("--profile-filing", action="store_true",
                        help="only profile filing: one filing's statements and a cProfile of another")
    args = parser.parse_args(argv)
    scale = data.Scale(args.records, args.closed, args.open)
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    report([run_backend(backend, scale, args) for backend in backends], scale)


if __name__ == "__main__":
    main()
