"""Letters rendered after the commit: pending until archived, dispatched only after a commit,
rendered once however many workers run, failures kept, retried and never lost."""
from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from letters import demo_context
from workflows.archive import rendering
from workflows.archive.issuing import TO_RENDER, issue_letter
from workflows.archive.rendering import backlog, render_letter, sweep_letters
from workflows.background.letters import LetterPool, start_letter_workers
from workflows.core.clock import FrozenClock, as_utc
from workflows.core.models.cases import CaseEvent
from workflows.core.models.letters import Letter

from tests.support.letters import drain_letters, extract

NOW = datetime(2026, 11, 21, 2, 0, tzinfo=timezone.utc)
URL = "http://credit.test"


def issue(store, **overrides):
    context = {k: v for k, v in demo_context("acceptance").items()
               if k not in ("number", "verification_code", "verify_url", "date")}
    context.update(overrides)
    with store.write() as uow:
        letter = issue_letter(uow.session, "acceptance", context, actor="reviewer1", now=NOW, public_url=URL)
        uow.commit()
    return letter


def stored(store, letter_id) -> Letter:
    with store.read() as session:
        return session.get(Letter, letter_id)


def test_a_letter_is_pending_after_its_commit_and_issued_once_rendered(store):
    letter = stored(store, issue(store).id)
    assert (letter.status, letter.pdf, letter.sha256, letter.size) == ("pending", None, None, None)
    assert letter.number == "泉信用受〔2026〕1号" and letter.context["verify_url"].startswith(URL)
    assert render_letter(store, letter.id, NOW).status == "issued"
    done = stored(store, letter.id)
    assert done.status == "issued" and done.rendered_at == NOW and done.render_error is None
    assert done.sha256 == hashlib.sha256(done.pdf).hexdigest() and done.size == len(done.pdf)
    assert "泉信用受〔2026〕1号" in extract(done.pdf).text
    assert render_letter(store, letter.id, NOW).status == "already"  # idempotent: the bytes stand
    assert stored(store, letter.id).sha256 == done.sha256


def test_letters_are_handed_over_only_after_the_commit_and_never_when_rolled_back(store):
    seen: list[list[int]] = []
    store.on_commit(TO_RENDER, seen.append)
    context = {k: v for k, v in demo_context("acceptance").items() if k not in ("number", "verification_code",
                                                                               "verify_url", "date")}
    with store.write() as uow:
        issue_letter(uow.session, "acceptance", context, actor="r", now=NOW, public_url=URL)
        assert seen == []  # not before the commit
    assert seen == []  # rolled back: nothing to render
    with store.write() as uow:
        first = issue_letter(uow.session, "acceptance", context, actor="r", now=NOW, public_url=URL)
        second = issue_letter(uow.session, "acceptance", context, actor="r", now=NOW, public_url=URL)
        uow.commit()
    assert seen == [[first.id, second.id]]


def test_two_workers_at_once_archive_the_letter_once(store):
    letter = issue(store)
    outcomes, barrier = [], threading.Barrier(3)

    def worker():
        barrier.wait()
        outcomes.append(render_letter(store, letter.id, NOW).status)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes).count("issued") == 1 and len(outcomes) == 3
    with store.read() as session:
        archived = session.scalars(select(CaseEvent).where(CaseEvent.kind == "letter_archived")).all()
    assert archived == []  # a letter without a case has no timeline; with one, one event (web tests)


def test_a_render_failure_is_kept_retried_later_and_surfaced(store, monkeypatch):
    letter = issue(store)
    real = rendering.default_renderer

    class Broken:
        def render(self, *_args):
            raise RuntimeError("字体文件损坏")

    monkeypatch.setattr(rendering, "default_renderer", lambda: Broken())
    failed = render_letter(store, letter.id, NOW)
    assert failed.status == "failed" and "字体文件损坏" in failed.error
    row = stored(store, letter.id)
    assert (row.status, row.render_attempts, row.next_render_at) == ("pending", 1, NOW + timedelta(seconds=30))
    assert "字体文件损坏" in row.render_error
    assert sweep_letters(store, NOW) == {"letters_rendered": 0, "letters_failed": 0}  # not due yet
    later = NOW + timedelta(seconds=31)
    assert sweep_letters(store, later) == {"letters_rendered": 0, "letters_failed": 1}
    assert stored(store, letter.id).next_render_at == later + timedelta(minutes=1)  # backing off
    with store.read() as session:
        state = backlog(session, later + timedelta(minutes=11))
        failures = session.scalars(select(CaseEvent).where(CaseEvent.kind == "letter_render_failed")).all()
    assert (state.pending, state.failing, state.overdue) == (1, 1, 1)
    assert len(failures) == 2 and failures[0].after["letter_id"] == letter.id  # in the audit log
    monkeypatch.setattr(rendering, "default_renderer", real)  # fixed: the next sweep completes it
    assert sweep_letters(store, later + timedelta(minutes=2)) == {"letters_rendered": 1, "letters_failed": 0}
    row = stored(store, letter.id)
    assert row.status == "issued" and row.render_error is None and row.render_attempts == 2


def test_the_in_process_pool_renders_after_the_commit_off_the_callers_thread(store):
    threads_seen: list[str] = []
    pool = start_letter_workers(store, FrozenClock("2026-11-21T10:00:00+08:00"), "pool", threads=2)
    assert isinstance(pool, LetterPool)
    original = pool._run

    def run(ids):
        threads_seen.append(threading.current_thread().name)
        original(ids)

    pool._run = run
    letters = [issue(store) for _ in range(3)]
    pool.shutdown(wait=True)
    assert all(stored(store, letter.id).status == "issued" for letter in letters)
    assert threads_seen and all(name.startswith("letters") for name in threads_seen)
    assert threading.current_thread().name not in threads_seen


def test_drain_renders_every_pending_letter_through_the_product_function(store):
    ids = [issue(store).id for _ in range(2)]
    assert drain_letters(store) == 2 and drain_letters(store) == 0
    assert {stored(store, i).status for i in ids} == {"issued"}


def test_the_embedded_defaults_worker_process_renders_after_the_commit(store, db_url):
    """The default (`process`): a spawned worker process with its own connection renders them."""
    from workflows.background.letters import LetterProcesses
    clock = FrozenClock("2026-11-21T10:00:00+08:00")
    pool = start_letter_workers(store, clock, "process", database_url=db_url)
    assert isinstance(pool, LetterProcesses)
    letters = [issue(store) for _ in range(2)]
    pool.shutdown(wait=True)
    assert [stored(store, letter.id).status for letter in letters] == ["issued", "issued"]
    # archived at the runtime's time, which the worker process cannot read from its own machine clock
    assert {as_utc(stored(store, letter.id).rendered_at) for letter in letters} == {clock.now()}
