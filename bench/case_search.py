"""Case search at scale (issue 17): the desk's `/desk/search` and its CSV export over 200k cases.

Data: the subjects, records and closed repair cases of bench/scale_data.py (generate them with
bench/repair_scale.py --keep into the same database); this script then marks every tenth case
as running with one open review task (so "sort by due date" has due times to sort) and times
each search in-process with Flask's test client, after warm-up.
Run: BENCH_PG_URL=postgresql://…/bench_search .venv/bin/python bench/case_search.py [--requests 20]
     (or --url sqlite:///…). Target: p95 ≤ 200 ms per results page.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta
from urllib.parse import quote
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CREDIT_CASES_FONTS_DIR", str(ROOT / "var" / "fonts"))

from sqlalchemy import func, select, text, update  # noqa: E402

from bench.repair_scale import NOW, PASSWORD, add_users, open_runtime, percentile  # noqa: E402
from webapp import create_app  # noqa: E402
from workflows.core.clock import FrozenClock  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402
from workflows.core.models.cases import Case, HumanTask  # noqa: E402
from workflows.core.models.people import Subject  # noqa: E402
from workflows.core.models.records import CaseRecord, CreditRecord  # noqa: E402

TARGET_MS = 200.0


def open_some_cases(runtime, every: int = 10) -> int:
    """Every `every`-th case running with one ready review task due within ±5 days (idempotent)."""
    with runtime.store.write() as uow:
        s = uow.session
        if s.scalar(select(func.count()).select_from(HumanTask).where(HumanTask.state == "ready")):
            return 0
        now = runtime.clock.now()
        rows = s.execute(select(Case.id, Case.department_code, Case.subject_code, Case.kind, Case.received_at)
                         .where(Case.id % every == 0)).all()
        s.execute(update(Case).where(Case.id % every == 0).values(status="running", outcome=None, closed_at=None))
        s.add_all(HumanTask(id=str(uuid.uuid4()), case_id=cid, bpmn_id="first_review", name="本级审核",
                            lane="reviewer", department_code=dept, subject_code=code,
                            due_at=now + timedelta(hours=(cid % 240) - 120), overdue=False, state="ready",
                            created_at=now, case_kind=kind, case_received_at=received)
                  for cid, dept, code, kind, received in rows)
        uow.commit()
        return len(rows)


def samples(runtime) -> dict[str, str]:
    """Search texts taken from the data: a name fragment, a full name, a code, a record number."""
    with runtime.store.read() as s:
        case = s.execute(select(Case.id, Case.subject_code).where(Case.id == 123_450)).one()
        name = s.scalar(select(Subject.name).where(Subject.code == case.subject_code))
        number = s.scalar(select(CreditRecord.decision_no).join(CaseRecord, CaseRecord.record_id == CreditRecord.id)
                          .where(CaseRecord.case_id == case.id))
    return {"name fragment": "鲤城开元", "full name": name, "code": case.subject_code,
            "record number": number, "case number": f"#{case.id}"}


def urls(found: dict[str, str]) -> dict[str, str]:
    pages = {f"q={label}": f"/desk/search?q={quote(value)}" for label, value in found.items()}
    pages.update({
        "no filter (newest first)": "/desk/search",
        "no filter, page 200": "/desk/search?page=200",
        "state=running, sort=due": "/desk/search?state=running&sort=due",
        "name fragment + dept + running + due":
            f"/desk/search?q={quote(found['name fragment'])}&department=QZ-SCJG&state=running&sort=due",
        "CSV: name fragment": f"/desk/search.csv?q={quote(found['name fragment'])}",
        "tasks API: name fragment": f"/api/v1/tasks?q={quote(found['name fragment'])}",
    })
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/bench"))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    upgrade(args.url)
    runtime = open_runtime(args.url, FrozenClock(NOW))
    try:
        add_users(runtime, [("reviewer1", "reviewer", None)])
        print(f"opened {open_some_cases(runtime)} cases", flush=True)
        with runtime.store.read() as s:
            count = s.scalar(select(func.count()).select_from(Case))
            if args.explain:
                print(s.execute(text("SELECT count(*) FROM subject")).scalar(), "subjects")
        client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime}).test_client()
        client.post("/login", data={"username": "reviewer1", "password": PASSWORD})
        print(f"{count} cases on {runtime.store.engine.dialect.name}; p50/p95 of {args.requests} requests, ms")
        for label, url in urls(samples(runtime)).items():
            timings, answer = [], None
            for _ in range(args.requests + 2):
                started = time.perf_counter()
                answer = client.get(url)
                answer.get_data()
                timings.append(time.perf_counter() - started)
            assert answer.status_code == 200, (url, answer.status_code)
            body = answer.get_data(as_text=True)
            shown = body.count("<tr data-case=") if not url.startswith("/desk/search.csv") else body.count("\n") - 1
            total = body.split('data-total="', 1)[1].split('"', 1)[0] if 'data-total="' in body else "-"
            p50, p95 = percentile(timings[2:], 50) * 1000, percentile(timings[2:], 95) * 1000
            verdict = "MET" if p95 <= TARGET_MS else "MISSED"
            print(f"{label:<42} total {total:>7} rows {shown:>5}  p50 {p50:7.1f}  p95 {p95:7.1f}  ≤{TARGET_MS:.0f}: {verdict}",
                  flush=True)
    finally:
        runtime.close()


if __name__ == "__main__":
    main()
