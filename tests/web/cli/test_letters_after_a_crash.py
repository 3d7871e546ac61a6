"""A real `credit-cases serve` killed with SIGKILL between a filing's commit and the rendering of
its letter leaves the letter pending — numbered, never lost — and the next server's start-up
sweep (or cron's `tick`) renders it. The server's letter pool is held back by a test-only delay
(CREDIT_CASES_TEST_RENDER_DELAY) so the kill lands in that window for sure."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from webapp.cli import CommandContext, main
from workflows.core.config import PROJECT_ROOT
from workflows.core.models.letters import Letter

from tests.support.letters import extract
from tests.support.subjects import COMPANY

DEMO_PASSWORD = "Demo@2026!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("CREDIT_CASES_TEST_RENDER_DELAY", "CREDIT_CASES_LETTER_WORKERS")}
    return {**env, "CREDIT_CASES_DATABASE_URL": db_url, "CREDIT_CASES_DATA_DIR": str(data_dir),
            "CREDIT_CASES_SWEEP_SECONDS": "3600", "PYTHONPATH": str(PROJECT_ROOT), **extra}


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "serve", "--dev", "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("server did not start within 60 s")


def _call(port: int, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def _letter(store, letter_id: int) -> Letter:
    with store.read() as session:
        return session.scalars(select(Letter).where(Letter.id == letter_id)).one()


@pytest.fixture
def demo_db(db_url, tmp_path, monkeypatch) -> str:
    """The demo departments, subjects and users in the test database."""
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["demo"], obj=CommandContext())
    assert result.exit_code == 0, result.output
    return db_url


def test_a_letter_left_pending_by_a_killed_server_is_rendered_by_the_next_start(demo_db, store, tmp_path):
    port, log = _free_port(), tmp_path / "server.log"
    server = _serve(_env(demo_db, tmp_path, CREDIT_CASES_TEST_RENDER_DELAY="60"), port, log)
    try:
        status, token = _call(port, "/api/v1/auth/token", {"username": "applicant1", "password": DEMO_PASSWORD})
        assert status == 201, token
        status, case = _call(port, "/api/v1/cases", {"kind": "commitment", "subject_code": COMPANY, "form": {
            "commitment_type": "certification", "matter": "食品经营许可证延续", "content": "按期完成整改",
            "liability": "承担虚假承诺的法律责任并接受失信惩戒", "disclosure": "public",
            "department_code": "QZ-SCJG"}}, token["token"])
        assert status == 201, case  # answered at once: the letter is rendered after the commit
        letter = case["letters"][0]
        assert letter["status"] == "pending" and letter["sha256"] is None
        status, waiting = _call(port, f"/api/v1/letters/{letter['id']}.pdf", token=token["token"])
        assert status == 202 and waiting["status"] == "pending"
    finally:
        server.send_signal(signal.SIGKILL)  # between the commit and the rendering (the pool still waits)
        server.wait(10)
    row = _letter(store, letter["id"])
    assert (row.status, row.pdf, row.number) == ("pending", None, letter["number"])  # committed, not lost

    restarted = _serve(_env(demo_db, tmp_path), port, log)  # its start-up sweep renders every pending letter
    try:
        deadline = time.monotonic() + 60
        while _letter(store, letter["id"]).status == "pending" and time.monotonic() < deadline:
            time.sleep(0.3)
        row = _letter(store, letter["id"])
        assert row.status == "issued", log.read_text(errors="replace")[-2000:]
        assert row.number in extract(row.pdf).text.replace("\n", "")
        status, token = _call(port, "/api/v1/auth/token", {"username": "applicant1", "password": DEMO_PASSWORD})
        status, meta = _call(port, f"/api/v1/letters/{letter['id']}", token=token["token"])
        assert status == 200 and (meta["status"], meta["sha256"]) == ("issued", row.sha256)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(20)


def test_tick_renders_what_a_server_without_workers_left_pending(demo_db, store, tmp_path):
    """The same with no worker at all (CREDIT_CASES_LETTER_WORKERS=off): cron's tick completes it."""
    port, log = _free_port(), tmp_path / "server.log"
    server = _serve(_env(demo_db, tmp_path, CREDIT_CASES_LETTER_WORKERS="off"), port, log)
    try:
        _status, token = _call(port, "/api/v1/auth/token", {"username": "applicant1", "password": DEMO_PASSWORD})
        status, case = _call(port, "/api/v1/cases", {"kind": "commitment", "subject_code": COMPANY, "form": {
            "commitment_type": "certification", "matter": "食品经营许可证延续", "content": "按期完成整改",
            "liability": "承担虚假承诺的法律责任并接受失信惩戒", "disclosure": "public",
            "department_code": "QZ-SCJG"}}, token["token"])
        assert status == 201, case
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    letter_id = case["letters"][0]["id"]
    assert _letter(store, letter_id).status == "pending"
    ticked = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()", "tick"], cwd=PROJECT_ROOT,
                            env=_env(demo_db, tmp_path), capture_output=True, text=True, timeout=120)
    assert ticked.returncode == 0, ticked.stderr
    row = _letter(store, letter_id)
    assert "1 letter(s) rendered" in ticked.stdout, (  # say why, should a busy machine ever make this flaky
        f"tick: {ticked.stdout!r}; letter {row.status} attempts={row.render_attempts} error={row.render_error!r} "
        f"next={row.next_render_at} issued={row.issued_at}; server log: {log.read_text(errors='replace')[-1500:]}")
    assert row.status == "issued"
