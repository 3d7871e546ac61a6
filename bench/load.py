"""Load benchmark over HTTP (issue 15; not a test): bursts of filings, reviews and reads.

Starts real servers of a source tree (this one by default; `--tree /work/wt-base` for the code
before a change) on a fresh database and drives them with concurrent HTTP clients (threads with
keep-alive connections, bounded in count and time):

- `embedded`: `credit-cases serve` (waitress + SQLite; letters by its in-process workers);
- `pg2`, `pg4`: gunicorn with 2 / 4 sync workers on PostgreSQL, plus one Celery worker with beat
  on Redis (CREDIT_CASES_LETTER_WORKERS=celery; broker db `--redis-db`, apart from other users).

Per target and per concurrency (`--clients 1,4,16`): first a burst of `--burst` filings only
(`POST /api/v1/cases`, back to back: the issue's acknowledged filings/s), then `--filings` cycles,
each: file a repair, read the inbox (`GET /api/v1/tasks`), claim and complete the credit office's
review (forward, or approve where the tree's procedure has no department step), read the case, the
department's decision (approve). Then `--mixed`: 4 filers and 4 readers (inbox + case) at once.
Printed: p50/p95 per operation, acknowledged filings/s, errors (with "database is locked"
answers counted apart), the letters still pending when the last filing was answered and the
time until every letter is archived, and the servers' RSS at start and at the end.

Run:  .venv/bin/python bench/load.py [--tree PATH] [--targets embedded,pg2,pg4]
          [--clients 1,4,16] [--filings 100] [--pg-url postgresql://postgres@127.0.0.1:5432/bench]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from stdnum.cn import uscc

from process_stats import process_cpu_s, tree_rss  # bench/, beside this script

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Demo@2026!"  # `credit-cases demo`'s users
SERVE_THREADS = 0  # 0: `serve`'s default
REPAIR_FORM = {"reason": "已缴清罚款并完成整改", "rectification": "已下架问题食品并建立进货查验制度",
               "commitment_accepted": True}


# -- servers ------------------------------------------------------------------------------------------

@dataclass
class Target:
    name: str
    database_url: str
    gunicorn_workers: int = 0  # 0: `credit-cases serve`


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def python() -> str:
    return str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name) or name


class Servers:
    """The web server(s) and, on PostgreSQL, a Celery worker, for one target and tree."""

    def __init__(self, tree: Path, target: Target, data_dir: Path, redis_db: int) -> None:
        self.tree, self.target, self.port = tree, target, free_port()
        self.env = {**os.environ, "PYTHONPATH": str(tree), "CREDIT_CASES_DATA_DIR": str(data_dir),
                    "CREDIT_CASES_DATABASE_URL": target.database_url,
                    "CREDIT_CASES_FONTS_DIR": str(tree / "var" / "fonts"),  # its own: builders differ
                    "CREDIT_CASES_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
                    "CREDIT_CASES_CELERY_BROKER": f"redis://127.0.0.1:6379/{redis_db}",
                    "CREDIT_CASES_SWEEP_SECONDS": "30"}
        if target.gunicorn_workers:
            self.env["CREDIT_CASES_LETTER_WORKERS"] = "celery"
        self.log = data_dir / "servers.log"
        self.processes: list[subprocess.Popen] = []

    def cli(self, *args: str) -> None:
        subprocess.run([python(), "-c", "from webapp.cli import main; main()", *args], cwd=self.tree, env=self.env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)

    def serve_takes(self, option: str) -> bool:
        shown = subprocess.run([python(), "-c", "from webapp.cli import main; main()", "serve", "--help"],
                               cwd=self.tree, env=self.env, capture_output=True, text=True, timeout=120)
        return option in shown.stdout

    def start(self) -> None:
        out = self.log.open("ab")
        if self.target.gunicorn_workers:
            web = [tool("gunicorn"), "-w", str(self.target.gunicorn_workers), "-b", f"127.0.0.1:{self.port}",
                   "--timeout", "120", "webapp:create_app()"]
            celery = [tool("celery"), "-A", "workflows.background.celery_app", "worker", "-B", "--concurrency", "2",
                      "--loglevel", "WARNING", "--schedule", str(self.log.parent / "beat-schedule")]
            self.processes.append(subprocess.Popen(celery, cwd=self.tree, env=self.env, stdout=out, stderr=out,
                                                   start_new_session=True))
        else:
            web = [python(), "-c", "from webapp.cli import main; main()", "serve", "--port", str(self.port)]
            if self.serve_takes("--dev"):  # trees from before issue 16 have no loopback guard to lift
                web.append("--dev")
            if SERVE_THREADS:
                web += ["--threads", str(SERVE_THREADS)]
        self.processes.insert(0, subprocess.Popen(web, cwd=self.tree, env=self.env, stdout=out, stderr=out,
                                                  start_new_session=True))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"server did not start; see {self.log}")

    def rss_mib(self) -> dict[str, float]:
        """VmRSS of the web server (with its workers) and of the Celery worker (with its children)."""
        found = {"web": tree_rss(self.processes[0].pid)}
        if len(self.processes) > 1:
            found["celery"] = tree_rss(self.processes[1].pid)
        return found

    def web_cpu_s(self) -> float:
        """CPU seconds the web server has used: `serve` itself (not its letter processes), or the
        gunicorn master and its workers."""
        pid = self.processes[0].pid
        pids = [pid]
        if self.target.gunicorn_workers:
            children = Path(f"/proc/{pid}/task/{pid}/children")
            pids += [int(p) for p in children.read_text().split()] if children.exists() else []
        return sum(process_cpu_s(each) for each in pids)

    def stop(self) -> None:
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# -- the database, read by the bench itself -----------------------------------------------------------

def reset_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class Letters:
    """The backlog of letters not archived yet (0 for code that renders inside the step)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        columns = {c["name"] for c in inspect(self.engine).get_columns("letter")}
        self.has_status = "status" in columns

    def counts(self) -> tuple[int, int]:
        """(all letters, pending letters)"""
        with self.engine.connect() as connection:
            total = connection.execute(text("SELECT count(*) FROM letter")).scalar()
            pending = connection.execute(text("SELECT count(*) FROM letter WHERE status = 'pending'")).scalar() \
                if self.has_status else 0
        return total, pending

    def wait_archived(self, limit_s: float = 120) -> float:
        start = time.monotonic()
        while self.counts()[1] and time.monotonic() - start < limit_s:
            time.sleep(0.1)
        return time.monotonic() - start


# -- clients ------------------------------------------------------------------------------------------

class Client:
    """One keep-alive connection; every call timed under its operation's name."""

    def __init__(self, port: int, stats: "Stats") -> None:
        self.port, self.stats = port, stats
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, op: str, method: str, path: str, body=None, token: str | None = None,
             expect: tuple[int, ...] = (200, 201)) -> dict | None:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = json.dumps(body).encode() if body is not None else None
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as err:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.stats.error(op, f"{type(err).__name__}")
            return None
        elapsed = (time.perf_counter() - start) * 1000
        self.stats.add(op, elapsed)
        if response.status not in expect:
            text_ = data.decode(errors="replace")
            self.stats.error(op, "database is locked" if "locked" in text_ else f"HTTP {response.status}")
            return None
        return json.loads(data) if data else {}


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: str, ms: float) -> None:
        with self.lock:
            self.times[op].append(ms)

    def error(self, op: str, what: str) -> None:
        with self.lock:
            self.errors[f"{op}: {what}"] += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] if ordered else float("nan")


def token(port: int, username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/v1/auth/token", body=json.dumps({"username": username, "password": PASSWORD}),
                       headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    body = json.loads(answer.read())
    if answer.status != 201:
        raise SystemExit(f"sign-in of {username}: {answer.status} {body}")
    return body["token"]


def seed_records(port: int, dept: str, first: int, count: int) -> list[tuple[str, int]]:
    """(subject code, record id) of `count` eligible penalties, one new subject each (a subject's
    repairs are limited per year), created over the API by the department."""
    client, decided = Client(port, Stats()), (date.today() - timedelta(days=120)).isoformat()
    made = []
    for index in range(first, first + count):
        body = f"91350500MB{index:07d}"
        code = body + uscc.calc_check_digit(body)
        record = client.call("seed", "POST", "/api/v1/records", {
            "subject_code": code, "subject_name": f"泉州市压测商贸有限公司{index}", "kind": "penalty",
            "severity": "general", "decision_no": f"泉市监罚〔2026〕L{index}号", "decision_date": decided,
            "department_code": "QZ-SCJG", "department_name": "泉州市市场监督管理局",
            "facts": "销售不符合食品安全标准的食品", "basis": "《中华人民共和国食品安全法》第一百二十四条",
            "content": "罚款人民币二万元", "measures": [{"name": "限制参加政府采购"}]}, dept)
        if record is None:
            raise SystemExit(f"could not create a record: {client.stats.errors}")
        made.append((code, record["id"]))
    return made


def cycle(client: Client, filer: str, reviewer: str, code: str, record_id: int, department: str) -> None:
    """File a repair, read the inbox, claim and complete the office's review (本级审核: forward to
    the designating department, the procedure for cases received from 2025-06-22), read the case,
    and the department's decision (approve)."""
    case = client.call("file", "POST", "/api/v1/cases", {"kind": "repair", "subject_code": code,
                                                         "record_ids": [record_id], "form": REPAIR_FORM}, filer)
    if case is None:
        return
    client.call("inbox", "GET", "/api/v1/tasks?limit=20", token=reviewer)
    review = next((t for t in case.get("tasks", []) if t.get("state") == "ready"
                   and t.get("bpmn_id") in ("first_review", "review")), None)
    if review is None:
        client.stats.error("file", f"no review task (status {case.get('status')})")
        return
    client.call("claim", "POST", f"/api/v1/tasks/{review['id']}/claim", {}, reviewer)
    version = case["version"]
    current = client.call("read case", "GET", f"/api/v1/cases/{case['id']}", token=reviewer)
    if current is not None:
        version = current["version"]
    decision = "forward" if review["bpmn_id"] == "first_review" else "approve"
    reviewed = client.call("complete", "POST", f"/api/v1/tasks/{review['id']}/complete",
                           {"data": {"decision": decision}, "version": version}, reviewer)
    task = next((t for t in (reviewed or {}).get("tasks", []) if t.get("state") == "ready"
                 and t.get("bpmn_id") == "department_decision"), None)
    if task is not None:
        client.call("decide", "POST", f"/api/v1/tasks/{task['id']}/complete",
                    {"data": {"decision": "approve"}, "version": reviewed["version"]}, department)


def drain(port: int, clients: int, jobs: list[tuple[str, int]], deadline_s: float,
          each: Callable[[Client, str, int], None]) -> tuple[Stats, float]:
    """`clients` clients take jobs (subject code, record id) from one queue until it is empty or
    the deadline passes; the stats and the seconds it took."""
    stats, queue, lock = Stats(), list(jobs), threading.Lock()
    stop_at = time.monotonic() + deadline_s

    def worker() -> None:
        client = Client(port, stats)
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    return
                code, record_id = queue.pop()
            each(client, code, record_id)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.monotonic() - start


def run_point(port: int, clients: int, jobs: list[tuple[str, int]], filer: str, reviewer: str,
              department: str, deadline_s: float) -> tuple[Stats, float]:
    return drain(port, clients, jobs, deadline_s,
                 lambda client, code, record_id: cycle(client, filer, reviewer, code, record_id, department))


def run_burst(port: int, clients: int, jobs: list[tuple[str, int]], filer: str,
              deadline_s: float) -> tuple[Stats, float]:
    """`clients` clients only file, back to back: the acknowledged filings/s of a burst (the
    issue's own measure; the cycles add the review's requests between two filings)."""
    def file(client: Client, code: str, record_id: int) -> None:
        client.call("file", "POST", "/api/v1/cases", {"kind": "repair", "subject_code": code,
                                                      "record_ids": [record_id], "form": REPAIR_FORM}, filer)
    return drain(port, clients, jobs, deadline_s, file)


def run_mixed(port: int, jobs: list[tuple[str, int]], filer: str, reviewer: str, deadline_s: float,
              filers: int = 4, readers: int = 4) -> tuple[Stats, float]:
    """`filers` clients only file; `readers` read the inbox and cases until the filers are done."""
    stats, queue, lock, done = Stats(), list(jobs), threading.Lock(), threading.Event()
    case_ids: list[int] = []
    stop_at = time.monotonic() + deadline_s

    def filer_loop() -> None:
        client = Client(port, stats)
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    return
                code, record_id = queue.pop()
            case = client.call("file", "POST", "/api/v1/cases", {"kind": "repair", "subject_code": code,
                                                                 "record_ids": [record_id], "form": REPAIR_FORM}, filer)
            if case is not None:
                case_ids.append(case["id"])

    def reader_loop() -> None:
        client, n = Client(port, stats), 0
        while not done.is_set():
            client.call("read inbox", "GET", "/api/v1/tasks?limit=20", token=reviewer)
            if case_ids:
                client.call("read case", "GET", f"/api/v1/cases/{case_ids[n % len(case_ids)]}", token=reviewer)
            n += 1

    writers = [threading.Thread(target=filer_loop) for _ in range(filers)]
    reading = [threading.Thread(target=reader_loop) for _ in range(readers)]
    start = time.monotonic()
    for thread in writers + reading:
        thread.start()
    for thread in writers:
        thread.join()
    elapsed = time.monotonic() - start
    done.set()
    for thread in reading:
        thread.join()
    return stats, elapsed


# -- a run --------------------------------------------------------------------------------------------

def report_point(label: str, stats: Stats, elapsed: float, filings: int, backlog: int, archived_s: float) -> None:
    ops = " · ".join(f"{op} p50 {percentile(v, 50):.0f} / p95 {percentile(v, 95):.0f} ms"
                     for op, v in stats.times.items() if op != "seed")
    errors = sum(stats.errors.values())
    print(f"  {label:>9}: {filings / elapsed:5.1f} filings/s · errors {errors}"
          + (f" {dict(stats.errors)}" if errors else "")
          + f" · letters pending at the last answer {backlog}, all archived {archived_s:.1f} s later")
    print(f"{'':>14}{ops}")


def run_target(tree: Path, target: Target, clients: list[int], filings: int, mixed: int, deadline_s: float,
               redis_db: int, burst: int = 0) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"load-{target.name}-"))
    if target.database_url == "sqlite":
        target.database_url = f"sqlite:///{data_dir / 'load.sqlite3'}"
    reset_database(target.database_url)
    servers = Servers(tree, target, data_dir, redis_db)
    servers.cli("db", "upgrade")
    servers.cli("demo")
    servers.cli("letter", "fonts", "prepare")  # gunicorn workers refuse letters (503) until they are
    servers.start()
    try:
        print(f"{target.name} ({tree}): {servers.target.database_url.split('@')[-1]}, "
              f"{'gunicorn ×' + str(target.gunicorn_workers) + ' + Celery' if target.gunicorn_workers else 'credit-cases serve'}")
        dept, reviewer = token(servers.port, "dept1"), token(servers.port, "reviewer1")
        filer = token(servers.port, "admin1")
        needed = sum(filings + burst for _ in clients) + mixed + 4
        jobs = seed_records(servers.port, dept, 1, needed)
        letters = Letters(servers.target.database_url)
        for code, record_id in jobs[:4]:  # warm-up: every worker loaded, fonts and specs cached
            cycle(Client(servers.port, Stats()), filer, reviewer, code, record_id, dept)
        letters.wait_archived()
        rss_start = servers.rss_mib()
        offset = 4
        for count in clients:
            if burst:
                batch, offset = jobs[offset:offset + burst], offset + burst
                cpu = servers.web_cpu_s()
                stats, elapsed = run_burst(servers.port, count, batch, filer, deadline_s)
                cpu = servers.web_cpu_s() - cpu
                backlog = letters.counts()[1]
                report_point(f"burst c{count}", stats, elapsed, len(stats.times["file"]), backlog,
                             letters.wait_archived())
                print(f"{'':>14}web server CPU {cpu * 1000 / max(len(stats.times['file']), 1):.1f} ms per filing, "
                      f"{cpu / elapsed:.2f} cores while filing")
            if not filings:
                continue
            batch, offset = jobs[offset:offset + filings], offset + filings
            stats, elapsed = run_point(servers.port, count, batch, filer, reviewer, dept, deadline_s)
            backlog = letters.counts()[1]
            report_point(f"c{count}", stats, elapsed, len(stats.times["file"]), backlog, letters.wait_archived())
        if mixed:
            stats, elapsed = run_mixed(servers.port, jobs[offset:offset + mixed], filer, reviewer, deadline_s)
            backlog = letters.counts()[1]
            report_point("4f+4r", stats, elapsed, len(stats.times["file"]), backlog, letters.wait_archived())
        total, pending = letters.counts()
        rss_end = servers.rss_mib()
        print(f"  letters: {total} issued, {pending} pending at the end · RSS MiB at start "
              + ", ".join(f"{k} {v:.0f}" for k, v in rss_start.items()) + "; at the end "
              + ", ".join(f"{k} {v:.0f} (×{v / rss_start[k]:.2f})" for k, v in rss_end.items()))
    finally:
        servers.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="source tree whose servers run (default: this one)")
    parser.add_argument("--targets", default="embedded,pg2,pg4")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--filings", type=int, default=100, help="filing cycles per concurrency")
    parser.add_argument("--burst", type=int, default=100, help="filings only, per concurrency, before its cycles (0: none)")
    parser.add_argument("--mixed", type=int, default=100, help="filings of the 4 filers + 4 readers run (0: none)")
    parser.add_argument("--deadline", type=float, default=300, help="seconds at most per run of clients")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--serve-threads", type=int, default=0, help="waitress threads of `serve` (0: its default)")
    args = parser.parse_args(argv)
    global SERVE_THREADS
    SERVE_THREADS = args.serve_threads
    clients = [int(c) for c in args.clients.split(",")]
    known = {"embedded": Target("embedded", "sqlite"), "pg2": Target("pg2", args.pg_url, 2),
             "pg4": Target("pg4", args.pg_url, 4)}
    for name in args.targets.split(","):
        run_target(args.tree.resolve(), known[name], clients, args.filings, args.mixed, args.deadline, args.redis_db,
                   args.burst)


if __name__ == "__main__":
    main()
