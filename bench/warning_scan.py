"""Time the early-warning scan (workflows/early_warning.py) over 1M penalty records, 200k subjects.

    .venv/bin/python bench/warning_scan.py                 # SQLite (/tmp) and PostgreSQL (bench_warn)
    .venv/bin/python bench/warning_scan.py --keep          # reuse the data loaded by an earlier run
    .venv/bin/python bench/warning_scan.py --only sqlite --index none

The spread is meant to be realistic: most subjects have a few penalties from one department,
~1% are heavy offenders (40–160 penalties, about half of them ≥ 60 within 365 days), ~5% are
penalised by 2–5 departments, and ~20k serious-list entries in mixed states put ~1.5k subjects on
two or more lists. Each run drops earlier warnings, then times a first scan (creates every
warning) and a repeat scan (all unchanged), each in its own committed unit of work.
Targets: ≤ 30 s on SQLite, ≤ 15 s on PostgreSQL.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, func, select, text  # noqa: E402

from bench.scale_data import Loader  # noqa: E402
from workflows.core.clock import FrozenClock  # noqa: E402
from workflows.core.db import make_engine, normalise_url  # noqa: E402
from workflows.warnings.scan import scan_warnings  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402
from workflows.core.models.people import Subject  # noqa: E402
from workflows.core.models.records import CreditRecord
from workflows.engine.rules import RuleBook  # noqa: E402
from workflows.core.store import Store  # noqa: E402

NOW = "2026-09-30T10:00:00+08:00"
TODAY = date(2026, 9, 30)
SPAN_DAYS = 3 * 365  # decisions over the last three years
DEPARTMENTS = [(f"XM-D{n:02d}", f"厦门市第{n}执法局") for n in range(1, 41)]
RULES_DIR = Path(__file__).resolve().parent.parent / "bpmn" / "rules"
TARGETS = {"sqlite": 30.0, "postgresql": 15.0}
# The index the scan needs (add it to a migration): kind first serves both GROUP BY queries,
# subject_code next lets them aggregate in index order, and the three last columns make it covering.
INDEXES = {
    "covering": "CREATE INDEX IF NOT EXISTS ix_record_warning_scan ON credit_record "
                "(kind, subject_code, decision_date, department_code, publicity_status)",
    "brief": "CREATE INDEX IF NOT EXISTS ix_record_warning_scan ON credit_record (kind, decision_date, subject_code)",
    "none": None,
}
RECORD_COLUMNS = ("subject_code", "subject_name", "kind", "severity", "decision_no", "decision_date",
                  "department_code", "department_name", "regime", "publicity_status", "created_by",
                  "created_at", "updated_at", "category", "sector", "non_repairable", "facts", "basis",
                  "content", "source")
PENALTY_STATES = ["public"] * 80 + ["expired"] * 10 + ["stopped"] * 6 + ["revoked"] * 3 + ["not_published"]
LIST_STATES = ["public"] * 70 + ["suspended"] * 5 + ["stopped"] * 15 + ["revoked"] * 5 + ["expired"] * 5


def subject_code(n: int) -> str:
    return f"91350200MA{n:08d}"


def penalty_plan(subjects: int, records: int, rng: random.Random) -> list[tuple[int, int, list[str]]]:
    """(subject, penalty count, departments to draw from), adding up to exactly `records`."""
    heavy, multi = subjects // 200, subjects // 20
    plan = [(n, rng.randint(40, 160), _departments(rng, 1 + (rng.random() < 0.2))) for n in range(heavy)]
    plan += [(n, rng.randint(2, 8), _departments(rng, rng.randint(2, 5))) for n in range(heavy, heavy + multi)]
    left, rest = records - sum(c for _, c, _ in plan), range(heavy + multi, subjects)
    mean = left / len(rest) - 1
    counts = [1 + int(rng.expovariate(1 / mean)) for _ in rest]  # most have a few, some a dozen or more
    surplus = sum(counts) - left
    while surplus:  # trim or pad to the exact total
        i = rng.randrange(len(counts))
        if surplus > 0 and counts[i] > 1:
            counts[i], surplus = counts[i] - 1, surplus - 1
        elif surplus < 0:
            counts[i], surplus = counts[i] + 1, surplus + 1
    plan += [(n, c, _departments(rng, 1 + (rng.random() < 0.1))) for n, c in zip(rest, counts)]
    return plan


def _departments(rng: random.Random, k: int) -> list[str]:
    return [code for code, _name in rng.sample(DEPARTMENTS, k)]


def record_rows(subjects: int, records: int, seed: int):
    rng, now = random.Random(seed), datetime(2026, 9, 30, 2, tzinfo=timezone.utc)
    names = dict(DEPARTMENTS)
    serial = 0

    def row(n: int, kind: str, department: str, days_ago: int, status: str) -> tuple:
        nonlocal serial
        serial += 1
        return (subject_code(n), f"测试企业{n}", kind, "general", f"厦罚〔{serial}〕号", TODAY - timedelta(days=days_ago),
                department, names[department], "gb22", status, "bench", now, now, "罚款", "", False,
                "未按规定公示年度报告", "《企业信息公示暂行条例》第十八条", "罚款一万元", "import")
    for n, count, departments in penalty_plan(subjects, records, rng):
        recent = count >= 40 and rng.random() < 0.5  # half of the heavy offenders are active right now
        for _ in range(count):
            days = rng.randrange(365 if recent else SPAN_DAYS)
            yield row(n, "penalty", rng.choice(departments), days, rng.choice(PENALTY_STATES))
    for _ in range(records // 50):  # serious-list entries: some subjects on several lists
        n = rng.randrange(subjects // 100) if rng.random() < 0.3 else rng.randrange(subjects)
        yield row(n, "serious_list", rng.choice(DEPARTMENTS)[0], rng.randrange(SPAN_DAYS), rng.choice(LIST_STATES))


def prepare(label: str, url: str, subjects: int, records: int, keep: bool, index: str | None) -> Engine:
    if keep and _loaded(url, subjects):
        print(f"{label:10} reusing {url}")
    else:
        _reset(label, url)
        loader, now = Loader(make_engine(url)), datetime(2026, 9, 30, 2, tzinfo=timezone.utc)
        started = time.perf_counter()
        loader.load(Subject, ("code", "name", "category", "created_at"),
                    ((subject_code(n), f"测试企业{n}", "legal_person", now) for n in range(subjects)))
        loaded = loader.load(CreditRecord, RECORD_COLUMNS, record_rows(subjects, records, seed=2026))
        loader.engine.dispose()
        print(f"{label:10} loaded {subjects:,} subjects, {loaded:,} records in {time.perf_counter() - started:.0f} s")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX IF EXISTS ix_record_warning_scan"))
        if index:
            started = time.perf_counter()
            conn.execute(text(index))
            print(f"{label:10} index built in {time.perf_counter() - started:.1f} s")
        conn.execute(text("DELETE FROM warning_department"))
        conn.execute(text("DELETE FROM early_warning"))  # earlier scans' audit rows stay: append-only
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE credit_record"))
    return engine


def _loaded(url: str, subjects: int) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Subject)) == subjects
    except Exception:  # noqa: BLE001 - no database or no schema yet
        return False
    finally:
        engine.dispose()


def _reset(label: str, url: str) -> None:
    if label == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        engine = create_engine(normalise_url(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


def timed_scan(engine: Engine, rules: RuleBook, clock: FrozenClock) -> tuple[float, object]:
    started = time.perf_counter()
    with Store(engine).write() as uow:
        report = scan_warnings(uow.session, rules, clock.now(), "bench")
        uow.commit()
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=200_000)
    parser.add_argument("--records", type=int, default=1_000_000, help="penalty records")
    parser.add_argument("--sqlite", default="/tmp/credit_cases_warning_scan.sqlite3")
    parser.add_argument("--postgresql", default="postgresql://postgres@127.0.0.1:5432/bench_warn")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--index", choices=tuple(INDEXES), default="covering")
    args = parser.parse_args()
    targets = [("sqlite", f"sqlite:///{args.sqlite}"), ("postgresql", args.postgresql)]
    rules, clock = RuleBook.from_directory(RULES_DIR), FrozenClock(NOW)
    print(f"index: {INDEXES[args.index] or 'none'}")
    for label, url in targets:
        if args.only and label != args.only:
            continue
        engine = prepare(label, url, args.subjects, args.records, args.keep, INDEXES[args.index])
        first, report = timed_scan(engine, rules, clock)
        again, repeat = timed_scan(engine, rules, clock)
        target = TARGETS[label]
        print(f"{label:10} first scan {first:6.2f} s ({report.new:,} new)   repeat scan {again:6.2f} s "
              f"({repeat.unchanged:,} unchanged)   target ≤ {target:.0f} s: "
              f"{'OK' if max(first, again) <= target else 'MISSED'}")
        engine.dispose()


if __name__ == "__main__":
    main()
