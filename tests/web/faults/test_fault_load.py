"""The fault test of issue 13: under load on a real server on 127.0.0.1, the app's PostgreSQL
backends are terminated again and again. No request may answer 500; a write cut off answers
503 with Retry-After; no answered case is lost and nothing is half-written (the integrity
check); once the killing stops, the pool has recovered. Bounded to a few seconds of load."""
from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from webapp import create_app
from workflows.archive.integrity import check_integrity
from workflows.core.models.cases import Case

from tests.conftest import PG_URL
from tests.support.faults import fresh_store, live_server, terminate_backends
from tests.support.letters import drain_letters
from tests.support.subjects import COMPANY
from tests.support.web import PASSWORD

pytestmark = pytest.mark.postgres

LOAD_SECONDS = 4.0
KILL_EVERY = 0.5
FILINGS = 30


@dataclass(frozen=True)
class Answer:
    method: str
    path: str
    status: int
    retry_after: str | None
    body: object


class Client:
    """One worker's HTTP client; every answer is kept for the assertions."""

    def __init__(self, base: str, answers: list[Answer], token: str | None = None) -> None:
        self.base, self.answers, self.http = base, answers, requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs) -> Answer:
        response = self.http.request(method, self.base + path, timeout=30, allow_redirects=False, **kwargs)
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        answer = Answer(method, path, response.status_code, response.headers.get("Retry-After"),
                        response.json() if is_json else response.text)
        self.answers.append(answer)
        return answer


def _token(base: str, username: str) -> str:
    return requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD},
                         timeout=30).json()["token"]


def _filer(client: Client, records: itertools.count, record_ids: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        index = next(records)
        if index >= len(record_ids):
            return
        filed = client.call("POST", "/api/v1/cases", json={
            "kind": "repair", "subject_code": COMPANY, "record_ids": [record_ids[index]],
            "form": {"record_ids": [record_ids[index]], "reason": "已缴清罚款", "rectification": "已整改",
                     "commitment_accepted": True}})
        if filed.status == 201:
            client.call("GET", f"/api/v1/cases/{filed.body['id']}")


def _reviewer(client: Client, stop: threading.Event) -> None:
    while not stop.is_set():
        listed = client.call("GET", "/api/v1/tasks?unclaimed=1")
        ready = [t for t in listed.body["items"] if t["bpmn_id"] == "first_review"] if listed.status == 200 else []
        if not ready:
            time.sleep(0.05)
            continue
        task = ready[0]
        claimed = client.call("POST", f"/api/v1/tasks/{task['id']}/claim", json={})
        if claimed.status == 200:
            client.call("POST", f"/api/v1/tasks/{task['id']}/complete",
                        json={"data": {"decision": "forward"}, "version": claimed.body["version"]})


def _desk_reader(client: Client, stop: threading.Event) -> None:
    client.call("POST", "/login", data={"username": "supervisor1", "password": PASSWORD})
    while not stop.is_set():
        for path in ("/desk/", "/desk/interviews"):
            client.call("GET", path)


def _killer(stop: threading.Event, kills: list[int]) -> None:
    while not stop.wait(KILL_EVERY):
        kills.append(terminate_backends(PG_URL))


def test_terminated_backends_under_load(runtime, make_record, caplog):
    record_ids = [make_record(f"2026-05-{day:02d}", no=f"泉市监罚〔2026〕{day}号") for day in range(1, FILINGS + 1)]
    app = create_app({"TESTING": False, "WTF_CSRF_ENABLED": False, "RUNTIME": runtime})
    answers: list[Answer] = []
    kills: list[int] = []
    stop = threading.Event()
    with live_server(app) as base:
        applicant, reviewers = _token(base, "applicant1"), [_token(base, "reviewer1"), _token(base, "reviewer2")]
        records = itertools.count()
        workers = [threading.Thread(target=_filer, args=(Client(base, answers, applicant), records, record_ids, stop))
                   for _ in range(2)]
        workers += [threading.Thread(target=_reviewer, args=(Client(base, answers, token), stop)) for token in reviewers]
        workers += [threading.Thread(target=_desk_reader, args=(Client(base, answers), stop)),
                    threading.Thread(target=_killer, args=(stop, kills))]
        for worker in workers:
            worker.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for worker in workers:
            worker.join(30)
        after = Client(base, answers, applicant)  # the killing has stopped: everything works again
        assert after.call("GET", "/api/v1/tasks").status in (200, 403)
        assert after.call("GET", f"/api/v1/subjects/{COMPANY}").status == 200

    assert sum(kills) >= 3 and len(answers) > 20
    served_errors = [a for a in answers if a.status >= 500 and a.status != 503]
    assert served_errors == [], served_errors[:3]
    unavailable = [a for a in answers if a.status == 503]
    assert all(a.retry_after == "5" for a in unavailable)
    assert all(a.body == {"error": "unavailable", "message": "数据库连接中断，请稍后重试。", "fields": {}}
               for a in unavailable if a.path.startswith("/api/"))
    assert all("数据库连接中断" in a.body for a in unavailable if not a.path.startswith("/api/"))
    retried = caplog.text.count("running it again")
    assert retried + len(unavailable) >= 1, "no request met a terminated connection"

    store = fresh_store(PG_URL)
    filed = {a.body["id"] for a in answers if a.path == "/api/v1/cases" and a.status == 201}
    cut_off = sum(1 for a in answers if a.path == "/api/v1/cases" and a.status == 503)
    with store.read() as session:
        stored = set(session.scalars(select(Case.id).where(Case.kind == "repair")))
        every_case = len(session.scalars(select(Case.id)).all())
    assert filed <= stored, "an answered case was lost"
    assert len(stored - filed) <= cut_off  # a commit cut off before its answer: whole, but unanswered
    drain_letters(store, runtime.clock)  # the letters' workers are off in tests: render them as one would
    report = check_integrity(store, runtime.specs, now=runtime.clock.now())
    assert report.ok, report.problems[:5]
    assert report.cases == every_case and report.letters > 0
    store.engine.dispose()
